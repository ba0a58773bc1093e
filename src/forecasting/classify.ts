/**
 * Demand classification of Syntetos, Boylan & Croston (2005), "On the categorization of demand patterns", JORS
 * 56(5): ADI, the average inter-demand interval, against 1.32, and CV^2, the squared coefficient of variation of
 * the non-zero demand sizes, against 0.49:
 *   ADI <= 1.32 and CV^2 <= 0.49: smooth        ADI <= 1.32 and CV^2 > 0.49: erratic
 *   ADI  > 1.32 and CV^2 <= 0.49: intermittent  ADI  > 1.32 and CV^2 > 0.49: lumpy
 * A value exactly on a cut-off counts as below it (the paper's regions are "> cut-off").
 * The intervals are Croston's (croston.ts): periods from the start to the first demand, then between demands, so
 * ADI = (periods up to the last demand) / (number of demands). CV^2 uses the sample variance (n - 1, R's sd(), as
 * usual in practice); with a single demand it is 0. A demand is a value > 0; missing periods are left out.
 * A series without any demand is 'no_demand'.
 */

export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy' | 'no_demand';

export interface DemandProfile {
  readonly adi: number;
  readonly cv2: number;
  readonly demands: number;
  readonly demandClass: DemandClass;
}

export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

/** ADI, CV^2 and the Syntetos-Boylan-Croston class of a demand series. */
export function classifyDemand(y: Float64Array): DemandProfile {
  let periods = 0;
  let upToLastDemand = 0;
  let demands = 0;
  let sum = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    periods++;
    if (v > 0) {
      demands++;
      sum += v;
      upToLastDemand = periods;
    }
  }
  if (demands === 0) return { adi: Infinity, cv2: NaN, demands, demandClass: 'no_demand' };
  const mean = sum / demands;
  let squares = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v > 0) squares += (v - mean) * (v - mean);
  }
  const cv2 = demands > 1 ? squares / (demands - 1) / (mean * mean) : 0;
  const adi = upToLastDemand / demands;
  return { adi, cv2, demands, demandClass: classOf(adi, cv2) };
}

/** The class for a given ADI and CV^2. */
export function classOf(adi: number, cv2: number): DemandClass {
  if (adi <= ADI_CUTOFF) return cv2 <= CV2_CUTOFF ? 'smooth' : 'erratic';
  return cv2 <= CV2_CUTOFF ? 'intermittent' : 'lumpy';
}
