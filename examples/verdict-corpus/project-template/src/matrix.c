/* matrix.c - 4x4 integer matrices: product and determinant (Laplace expansion). */
#include <string.h>
#include "lib.h"

void mat4_mul(const long a[4][4], const long b[4][4], long out[4][4])
{
    long r[4][4];

    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            long s = 0;
            for (int k = 0; k < 4; k++)
                s += a[i][k] * b[k][j];
            r[i][j] = s;
        }
    memcpy(out, r, sizeof r);
}

static long det3(long a, long b, long c, long d, long e, long f, long g, long h, long i)
{
    return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

long mat4_det(const long m[4][4])
{
    long det = 0;

    for (int col = 0; col < 4; col++) {
        long minor[9];
        int k = 0;
        for (int r = 1; r < 4; r++)
            for (int c = 0; c < 4; c++)
                if (c != col)
                    minor[k++] = m[r][c];
        long cof = det3(minor[0], minor[1], minor[2], minor[3], minor[4], minor[5], minor[6],
                        minor[7], minor[8]);
        det += (col % 2 ? -1 : 1) * m[0][col] * cof;
    }
    return det;
}

int matrix_selftest(void)
{
    static const long a[4][4] = {{2, 0, 1, 3}, {1, 1, 0, 2}, {0, 4, 1, 1}, {3, 1, 2, 0}};
    static const long id[4][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    long p[4][4], q[4][4];

    mat4_mul(a, id, p);
    if (memcmp(p, a, sizeof p) != 0)
        return 1;
    if (mat4_det(id) != 1)
        return 2;
    mat4_mul(a, a, q);
    if (mat4_det(q) != mat4_det(a) * mat4_det(a))
        return 3;
    if (mat4_det(a) != -28)
        return 4;
    return 0;
}
