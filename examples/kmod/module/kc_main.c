// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry: runs the self-test at load and prints one result line, "kmod-selftest: PASS ..."
 * or "kmod-selftest: FAIL ...", which is what ccbisect's QEMU oracle reads on the serial console.
 * The module loads either way (init returns 0) so that a failing mix is a verdict, not an
 * insmod error. The line is printed at alert level so that it reaches the console even when the
 * kernel boots with `quiet`.
 */
#include <linux/init.h>
#include <linux/module.h>
#include "kcache.h"

static int __init kcache_init(void)
{
	char report[160];
	int ret = kc_selftest_run(report, sizeof(report));

	if (ret)
		pr_alert("kmod-selftest: FAIL %s (%d)\n", report, ret);
	else
		pr_alert("kmod-selftest: PASS %s\n", report);
	return 0;
}

static void __exit kcache_exit(void)
{
}

module_init(kcache_init);
module_exit(kcache_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kcache: an ordered key cache with a latent bug, for ccbisect");
