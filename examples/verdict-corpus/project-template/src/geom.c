/* geom.c - polygons on an integer grid (twice the signed area, point in polygon), distances. */
#include <math.h>
#include "lib.h"

/* Twice the signed area (shoelace formula); xy holds npts (x, y) pairs. */
long geo_area2(const long *xy, size_t npts)
{
    long s = 0;

    for (size_t i = 0; i < npts; i++) {
        size_t j = (i + 1) % npts;
        s += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
    return s;
}

/* Even-odd rule, with exact integer cross products. */
int geo_inside(const long *xy, size_t npts, long px, long py)
{
    int in = 0;

    for (size_t i = 0, j = npts - 1; i < npts; j = i++) {
        long xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
        if ((yi > py) != (yj > py)) {
            /* px < xi + (py - yi) * (xj - xi) / (yj - yi), without division */
            long lhs = (px - xi) * (yj - yi), rhs = (py - yi) * (xj - xi);
            if (yj > yi ? lhs < rhs : lhs > rhs)
                in = !in;
        }
    }
    return in;
}

double geo_dist(double x0, double y0, double x1, double y1)
{
    return hypot(x1 - x0, y1 - y0);
}

int geom_selftest(void)
{
    static const long square[] = {0, 0, 10, 0, 10, 10, 0, 10};
    static const long ell[] = {0, 0, 6, 0, 6, 2, 2, 2, 2, 6, 0, 6};

    if (geo_area2(square, 4) != 200 || geo_area2(ell, 6) != 2 * 20)
        return 1;
    if (!geo_inside(square, 4, 5, 5) || geo_inside(square, 4, 11, 5) || geo_inside(square, 4, -1, -1))
        return 2;
    if (!geo_inside(ell, 6, 1, 5) || geo_inside(ell, 6, 4, 4) || !geo_inside(ell, 6, 5, 1))
        return 3;
    if (fabs(geo_dist(0, 0, 3, 4) - 5.0) > 1e-12 || fabs(geo_dist(1, 1, 1, 1)) > 1e-12)
        return 4;
    return 0;
}
