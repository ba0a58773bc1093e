/**
 * y at x along a curve of measured points, by linear interpolation between the two points on either side; null when
 * x is outside the range the points reach: a comparison "at equal inventory" never extrapolates.
 */
export function linearAt(points: readonly (readonly [number, number])[], x: number): number | null {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < sorted.length; i++) {
    const [x1, y1] = sorted[i]!;
    if (x1 === x) return y1;
    if (i > 0 && sorted[i - 1]![0] < x && x < x1) {
      const [x0, y0] = sorted[i - 1]!;
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return null;
}
