/* list.c - an intrusive circular doubly-linked list with a sentinel. */
#include "lib.h"

void dl_init(struct dlist *l)
{
    l->head.prev = l->head.next = &l->head;
    l->n = 0;
}

void dl_push_back(struct dlist *l, struct dnode *node)
{
    node->prev = l->head.prev;
    node->next = &l->head;
    l->head.prev->next = node;
    l->head.prev = node;
    l->n++;
}

void dl_remove(struct dlist *l, struct dnode *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->prev = node->next = node;
    l->n--;
}

void dl_reverse(struct dlist *l)
{
    struct dnode *n = &l->head;

    do {
        struct dnode *t = n->next;
        n->next = n->prev;
        n->prev = t;
        n = t;
    } while (n != &l->head);
}

int list_selftest(void)
{
    struct dnode nodes[20];
    struct dlist l;
    long expect;

    dl_init(&l);
    for (int i = 0; i < 20; i++) {
        nodes[i].value = i;
        dl_push_back(&l, &nodes[i]);
    }
    for (int i = 0; i < 20; i += 3)
        dl_remove(&l, &nodes[i]);
    if (l.n != 13)
        return 1;
    dl_reverse(&l);
    expect = 19;
    for (struct dnode *n = l.head.next; n != &l.head; n = n->next) {
        while (expect % 3 == 0)
            expect--;
        if (n->value != expect)
            return 2;
        expect--;
    }
    if (l.head.prev->value != 1 || l.head.next->prev != &l.head)
        return 3;
    return 0;
}
