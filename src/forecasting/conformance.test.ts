// Conformance with R forecast 8.20 (scripts/fixtures/forecast-fixtures.R printed these numbers; R is not needed here).
// Fixed parameters and initial states must reproduce R's recursions to 1e-9.
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../test/support/expect-close.js';
import { croston, sba } from './croston.js';
import { initialStates } from './ets-init.js';
import { holt, holtFit } from './holt.js';
import { holtWinters } from './holt-winters.js';
import { ses, sesFit } from './ses.js';
import type { EtsState } from './types.js';

const R = {
  sesSimpleFitted: [12, 11.999999999999998, 12.899999999999999, 12.329999999999998, 14.030999999999999, 15.821699999999998, 16.175189999999997, 17.922632999999998, 18.245843099999998, 20.272090169999998, 21.090463118999999, 21.063324183299997],
  sesSimpleMean: [23.144326928309997, 23.144326928309997, 23.144326928309997],
  annFitted: [14, 13.4, 13.880000000000001, 13.016, 14.511200000000001, 16.15784, 16.410488000000001, 18.087341600000002, 18.361139120000001, 20.352797383999999, 21.146958168799998, 21.102870718159998],
  aadnFitted: [11.35, 13.007000000000001, 15.561040000000002, 13.861318800000001, 17.198340936000001, 20.244382481920002, 19.518893206742398, 22.013077595361725, 21.092452723307225, 24.276907404522039, 24.516223308028636, 22.915184103760019],
  aadnFinal: [25.45759205188001, 1.1740356289936973],
  annOpt: [0.56031015626874181, 13.199820933795369, 13.733025459241041],
  aadnOpt: [0.00020926890094065333, 0.00020926692127743886, 0.97984471056173184, 10.978320327142075, 1.3977511727237606, 5.3613153637625315],
  initAaa: [29.339583333333326, 0.87954545454545474, 13.635416666666666, -2.8645833333333335, -10.90625],
  initMam: [28.752083817845151, 0.96075677114380253, 1.3705780362885396, 0.91617041870464089, 0.71260835843147119],
  initAna: [34.177083333333336, 13.635416666666666, -2.8645833333333335, -10.90625],
  initShortAaa: [28.878640776699029, 0.95388349514563053, 12.30582524271845, -2.7402912621359192, -9.7864077669902887],
  initShortMam: [28.878640776699029, 0.95388349514563031, 1.376391982182628, 0.91366521373403697, 0.68211920529801329],
  y12: [108.5, 107.66, 112.5, 110.66, 103.5, 105, 103.5, 94.340000000000003, 94.5, 98.340000000000003, 97.5, 107, 114.5, 113.66, 118.5, 116.66, 109.5, 111, 109.5, 100.34, 100.5, 104.34, 103.5, 113, 120.5, 119.66, 124.5, 122.66, 115.5, 117, 115.5, 106.34, 106.5, 110.34, 109.5, 119],
  initY12Aaa: [100.33333333333341, 0.49999999999999739, 0.66666666666667018, -8.3333333333333304, -6.9933333333333119, -10.33333333333333, -9.993333333333327, -0.33333333333332976, 1.6666666666666703, 0.66666666666665597, 8.326666666666652, 10.666666666666655, 6.3266666666666529],
  initY12Mam: [100.53075187890978, 0.49036799944868642, 1.0067837232371124, 0.92399762089937676, 0.93603028143900791, 0.9047113473975793, 0.90743592905706838, 0.99755273167353176, 1.0155348770109436, 1.0066470201598163, 1.0755728999379019, 1.0970538433290438, 1.0581001222903859],
  aaaFitted: [30.354545454545448, 20.050606060606054, 29.316121212121214, 46.628703030303036, 33.313730909090928, 23.551907636363651, 32.732883006060618, 50.03519746424243, 37.897899535515151, 27.891401565187884, 35.978595525197584, 52.966423926987638, 41.303785589893423, 31.56280073659147, 39.649975575311132, 57.190525698830747],
  aaaLik: [46.324192863740926],
  aadaFitted: [30.266590909090905, 19.833385606060606, 28.94962665909091, 46.121403323409091, 32.721736041302279, 22.906298086194468, 32.04175790564836, 49.301154699908324, 37.135971190483559, 27.11969727450602, 35.219151740204417, 52.227081310101397, 40.572090380956539, 30.828425239197632, 38.92175567887513, 56.467830529584781],
  mamFitted: [29.731951489171252, 21.934618194336878, 28.624529973655196, 44.220321755851664, 33.470631438482648, 24.413916679502634, 32.970628073559809, 50.884829217683951, 38.044528192308768, 27.293446806283267, 36.019159216603846, 54.935304169563061, 40.984823300775666, 29.663068450984721, 39.456809812079804, 60.490799032163189],
  mamLik: [30.521105735953086],
  madmFitted: [29.635814017471137, 21.760863816338542, 28.264206869298732, 43.493919406078724, 32.842545883092448, 23.918122977743117, 32.268747918405566, 49.751926340385182, 37.1907857926657, 26.692769649827557, 35.25860698573694, 53.828613643860528, 40.211224798554497, 29.139687961938652, 38.792406550617493, 59.488123956720102],
  fitAaaPar: [0.00010004477806867482, 0.00010000998937956414, 0.00010000697901176803],
  fitAaaInitstate: [29.339010418877635, 0.90689434782877343, 13.890977412358442, -2.8702354498019096, -10.795622699261356, -0.22511926329517618],
  fitAaaStats: [-18.341802692995895, 84.683605385991797, 1.23773586458614],
  fitAaaMean: [44.529878592927155, 34.866159374282404, 43.698332560057693, 61.366397051519236, 48.157153725243965, 38.493434506599215],
  fitAaaPoint: [44.529878592927155, 34.866159374282404, 43.698332560057693, 61.366397051519236, 48.157153725243965, 38.493434506599215],
  fitAadaPar: [0.025828222640296113, 0.00055768440867517489, 0.96266376579531443, 0.97998861418752126],
  fitAadaInitstate: [28.751215117964961, 1.0831804657416932, 12.992127148329676, -3.0171094919491321, -9.6630185090047167, -0.31199914737582679],
  fitAadaStats: [-18.566340291351043, 101.13268058270208, 1.4548202993047994],
  fitAadaMean: [44.18793953144143, 33.14754753350514, 43.056949973419556, 61.975382011675613, 47.112405094843709, 36.013490488222864],
  fitAadaPoint: [44.18793953144143, 33.14754753350514, 43.056949973419556, 61.975382011675613, 47.112405094843709, 36.013490488222864],
  fitMamPar: [0.041883916146885858, 0.00010003144604546286, 0.00010001141839308258],
  fitMamInitstate: [28.870996191407535, 0.9404518195483077, 1.3669513145022969, 0.92310749144359749, 0.70738568557278569, 1.0025555084813198],
  fitMamStats: [-10.372169357167209, 68.744338714334418, 0.00036058296902302927],
  fitMamMean: [44.96524281411039, 32.391933378591801, 43.138211685200311, 65.165207351496917, 48.736585992328067, 35.0529268414234],
  fitMamPoint: [44.96524281411039, 32.391933378591801, 43.138211685200318, 65.165207351496917, 48.736585923762149, 35.052926792030092],
  fitMadmPar: [0.00010009602097464922, 0.00010001705130800685, 0.032459237347205627, 0.97405822371932071],
  fitMadmInitstate: [28.283590249567368, 1.1757440836585178, 1.3664364427759033, 0.9232003478823001, 0.70719223117066743, 1.0031709781711293],
  fitMadmStats: [-9.3688092852167912, 82.737618570433582, 0.00036352453739978109],
  fitMadmMean: [44.346976906198847, 31.794745132963122, 42.188202308802708, 63.415126138703165, 47.24904816312484, 33.787522801972017],
  fitMadmPoint: [44.326886072697491, 31.766785995497457, 42.134153380401088, 63.309838237145748, 47.153672199186936, 33.707867294852633],
  fitY12MadmPar: [0.72747051408179386, 0.085306121921877906, 0.00038468966254205135, 0.97923506964771345],
  fitY12MadmInitstate: [101.17397319022922, 0.45017245427287872, 1.0058672406418003, 0.9253390732099348, 0.93667668420691719, 0.90569212915370712, 0.90823592687140309, 0.9962677211722516, 1.0148926771513627, 1.0052653492818002, 1.0760602748782102, 1.0981047192304221, 1.0581390658124608, 1.0694591383897301],
  fitY12MadmStats: [-17.418689273204791, 111.07267266405664, 1.1611932908746581e-05],
  fitY12MadmMean: [127.11829897359168, 126.20979130051253, 131.42118025501918, 129.20926982604325, 121.09850250044964, 122.64375176972632],
  fitY12MadmPoint: [127.10892891872184, 126.19144208674844, 131.39291234723279, 129.17271669151859, 121.05625568595698, 122.59309406822275],
  croston01Fitted: [NaN, 0, 0, 1.6666666666666667, 1.6666666666666667, 1.6666666666666667, 1.5999999999999999, 1.5999999999999999, 1.5999999999999999, 1.5999999999999999, 1.6193548387096774, 1.6193548387096774, 1.644816053511706, 1.644816053511706, 1.644816053511706, 1.644816053511706, 1.644816053511706, 1.5751175180194299, 1.5751175180194299, 1.5751175180194299],
  croston01Mean: [1.4891957501812798, 1.4891957501812798, 1.4891957501812798],
  croston025Fitted: [NaN, 0, 0, 1.6666666666666667, 1.6666666666666667, 1.6666666666666667, 1.5, 1.5, 1.5, 1.5, 1.5769230769230769, 1.5769230769230769, 1.6489361702127661, 1.6489361702127661, 1.6489361702127661, 1.6489361702127661, 1.6489361702127661, 1.4864253393665159, 1.4864253393665159, 1.4864253393665159],
  croston025Mean: [1.3023391812865497, 1.3023391812865497, 1.3023391812865497],
} as const;

/** R's initstate() gives [l, b, s0 .. s_{m-2}] with s0 the most recent; ours is a ring by phase, completed to sum 0 or m. */
function fromInitstate(r: readonly number[], m: number, multiplicative: boolean, trend = true): EtsState {
  const seasonal = r.slice(trend ? 2 : 1);
  const season = new Float64Array(m);
  let sum = 0;
  seasonal.forEach((s, i) => {
    season[m - 1 - i] = s;
    sum += s;
  });
  season[0] = (multiplicative ? m : 0) - sum;
  return { level: r[0]!, trend: trend ? r[1]! : 0, season };
}

/** A fitted ets()'s initstate is [l, b, s1 .. sm], s1 the most recent: reversed, it is our ring by phase. */
function fromFittedState(r: readonly number[]): EtsState {
  return { level: r[0]!, trend: r[1]!, season: Float64Array.from(r.slice(2)).reverse() };
}

const y = Float64Array.from([12, 15, 11, 18, 20, 17, 22, 19, 25, 23, 21, 28]);
const ys = Float64Array.from([30, 21, 29, 45, 34, 25, 33, 50, 37, 27, 36, 55, 41, 30, 40, 59]);
const yi = Float64Array.from([0, 0, 5, 0, 0, 3, 0, 0, 0, 7, 0, 4, 0, 0, 0, 0, 6, 0, 0, 2]);
/** The constant R's ets() leaves out of its log-likelihood: n (log(2 pi / n) + 1). */
const rConstant = (n: number): number => n * (Math.log((2 * Math.PI) / n) + 1);

describe('SES and Holt against R', () => {
  it('SES from the first observation is ses(initial = "simple")', () => {
    const m = ses(y, { alpha: 0.3 });
    expectClose(m.fitted, R.sesSimpleFitted);
    expectClose(m.forecast(3), R.sesSimpleMean);
  });

  it('SES with a given l0 is ETS(A,N,N)', () => {
    expectClose(ses(y, { alpha: 0.3, level0: 14 }).fitted, R.annFitted);
  });

  it('damped Holt with given states is ETS(A,Ad,N)', () => {
    const m = holt(y, { alpha: 0.5, beta: 0.2, phi: 0.9, level0: 10, trend0: 1.5 });
    expectClose(m.fitted, R.aadnFitted);
    const [l, b] = R.aadnFinal;
    expectClose(m.forecast(2), [l + 0.9 * b, l + (0.9 + 0.81) * b]);
  });

  it('the fits reach an in-sample MSE at least as low as ets() does', () => {
    const s = sesFit(y);
    expect(s.mse).toBeLessThanOrEqual(R.annOpt[2] * (1 + 1e-9));
    expect(s.params['alpha']).toBeCloseTo(R.annOpt[0], 2);
    expect(s.params['level0']).toBeCloseTo(R.annOpt[1], 2);
    expect(holtFit(y).mse).toBeLessThanOrEqual(R.aadnOpt[5] * (1 + 1e-9));
  });
});

describe('Holt-Winters initial states against R initstate()', () => {
  it('uses the classical decomposition when n >= 3m', () => {
    const a = initialStates(ys, 4, true, 'additive');
    const ra = fromInitstate(R.initAaa, 4, false);
    expectClose([a.level, a.trend, ...a.season], [ra.level, ra.trend, ...ra.season]);
    const m = initialStates(ys, 4, true, 'multiplicative');
    const rm = fromInitstate(R.initMam, 4, true);
    expectClose([m.level, m.trend, ...m.season], [rm.level, rm.trend, ...rm.season]);
    const n = initialStates(ys, 4, false, 'additive');
    const rn = fromInitstate(R.initAna, 4, false, false);
    expectClose([n.level, ...n.season], [rn.level, ...rn.season]);
  });

  it('uses a trend + Fourier regression when n < 3m', () => {
    const short = ys.slice(0, 10);
    const a = initialStates(short, 4, true, 'additive');
    const ra = fromInitstate(R.initShortAaa, 4, false);
    expectClose([a.level, a.trend, ...a.season], [ra.level, ra.trend, ...ra.season]);
    const m = initialStates(short, 4, true, 'multiplicative');
    const rm = fromInitstate(R.initShortMam, 4, true);
    expectClose([m.level, m.trend, ...m.season], [rm.level, rm.trend, ...rm.season]);
  });

  it('handles a monthly season', () => {
    const y12 = Float64Array.from(R.y12);
    for (const [season, r] of [['additive', R.initY12Aaa], ['multiplicative', R.initY12Mam]] as const) {
      const ours = initialStates(y12, 12, true, season);
      const ref = fromInitstate(r, 12, season === 'multiplicative');
      expectClose([ours.level, ours.trend, ...ours.season], [ref.level, ref.trend, ...ref.season]);
    }
  });
});

describe('Holt-Winters recursions against R (pegelsresid.C)', () => {
  const additive = fromInitstate(R.initAaa, 4, false);
  const multiplicative = fromInitstate(R.initMam, 4, true);
  const p = { alpha: 0.3, beta: 0.1, gamma: 0.2 };

  it('ETS(A,A,A) and ETS(A,Ad,A)', () => {
    const m = holtWinters(ys, 4, 'additive', { ...p, initial: additive });
    expectClose(m.fitted, R.aaaFitted);
    expect(-2 * m.ets!.loglik).toBeCloseTo(R.aaaLik[0] + rConstant(16), 9);
    expectClose(holtWinters(ys, 4, 'additive', { ...p, phi: 0.9, initial: additive }).fitted, R.aadaFitted);
  });

  it('ETS(M,A,M) and ETS(M,Ad,M)', () => {
    const m = holtWinters(ys, 4, 'multiplicative', { ...p, initial: multiplicative });
    expectClose(m.fitted, R.mamFitted);
    expect(m.ets!.errorType).toBe('multiplicative');
    expect(-2 * m.ets!.loglik).toBeCloseTo(R.mamLik[0] + rConstant(16), 9);
    expectClose(holtWinters(ys, 4, 'multiplicative', { ...p, phi: 0.9, initial: multiplicative }).fitted, R.madmFitted);
  });
});

// Forecasts are compared with the point forecasts of the model (computed in R from ets()'s final states). For
// additive errors they are forecast.ets()'s means; for ETS(M,*,M) forecast.ets() returns a conditional mean that
// differs for h > m, and for damped ones starts from l + b instead of l + phi b (forecast 8.20, class3()).
describe('likelihood, AICc, sigma2 and forecasts of fitted ets() models', () => {
  it('additive-error point forecasts are forecast.ets() means', () => {
    expectClose(R.fitAaaPoint, R.fitAaaMean);
    expectClose(R.fitAadaPoint, R.fitAadaMean);
  });

  const cases = [
    ['AAA', ys, 4, 'additive', R.fitAaaPar, R.fitAaaInitstate, R.fitAaaStats, R.fitAaaPoint],
    ['AAdA', ys, 4, 'additive', R.fitAadaPar, R.fitAadaInitstate, R.fitAadaStats, R.fitAadaPoint],
    ['MAM', ys, 4, 'multiplicative', R.fitMamPar, R.fitMamInitstate, R.fitMamStats, R.fitMamPoint],
    ['MAdM', ys, 4, 'multiplicative', R.fitMadmPar, R.fitMadmInitstate, R.fitMadmStats, R.fitMadmPoint],
    ['MAdM monthly', Float64Array.from(R.y12), 12, 'multiplicative', R.fitY12MadmPar, R.fitY12MadmInitstate, R.fitY12MadmStats, R.fitY12MadmPoint],
  ] as const;
  it.each(cases)('%s', (_name, series, m, seasonality, par, state, stats, mean) => {
    const [alpha, beta, gamma, phi] = par as readonly number[];
    const model = holtWinters(series, m, seasonality, { alpha: alpha!, beta: beta!, gamma: gamma!, phi: phi ?? 1, initial: fromFittedState(state) });
    const [loglik, aicc, sigma2] = stats;
    const n = series.length;
    expect(model.ets!.loglik).toBeCloseTo(loglik - rConstant(n) / 2, 8);
    expect(model.ets!.aicc).toBeCloseTo(aicc + rConstant(n), 8);
    expect(model.ets!.sigma2 / sigma2).toBeCloseTo(1, 9);
    expectClose(model.forecast(6), mean);
  });
});

describe('Croston against forecast::croston', () => {
  it('reproduces fitted values and forecasts for one alpha', () => {
    for (const [alpha, fitted, mean] of [
      [0.1, R.croston01Fitted, R.croston01Mean],
      [0.25, R.croston025Fitted, R.croston025Mean],
    ] as const) {
      const m = croston(yi, { alphaSize: alpha, alphaInterval: alpha });
      expectClose(m.fitted, fitted);
      expectClose(m.forecast(3), mean);
      // SBA (Syntetos & Boylan 2005) is Croston deflated by (1 - alpha / 2).
      const s = sba(yi, { alphaSize: alpha, alphaInterval: alpha });
      expectClose(s.forecast(3), mean.map((v) => (1 - alpha / 2) * v));
    }
  });
});
