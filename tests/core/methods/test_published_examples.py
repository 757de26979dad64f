"""Worked examples from publications, checked to the precision the publication prints (issue 20).

Every expected number below is a value printed in the cited publication. The papers themselves
could not be opened from this environment; each case's numbers were taken from a peer library's
test that reproduces the paper (the file is named in the case's comment), and the case's
comment gives the paper's full reference. Table numbers could not be checked for that reason
and are not given. Tolerances follow the printed precision: 5e-3 for values printed to two
decimals, 1e-3 for three, 1e-4 for four, 1e-5 for five (half a unit of the last printed digit
plus the rounding of the paper's own intermediate values). Each case also checks the complete
ranking that the printed values imply, exactly.

Conventions that differ from a paper are stated at the case: where the paper's arithmetic
rests on an input choice (weights rounded to print, a cost column normalised as a benefit one),
the inputs are aligned to it rather than the expectation changed.

Cases are added here for WASPAS, COPRAS, EDAS, MABAC, SPOTIS, TOPSIS, VIKOR, PROMETHEE II and
I (net flows), entropy and CRITIC weights; ELECTRE III's published case (Wang & Triantaphyllou
2008) is in test_electre_published.py. Not covered, for want of a publication whose printed
numbers could be obtained: PROMETHEE I's positive and negative flows (see test_methods_added.py
for the hand-computed cases).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from decision.core.methods import (
    PreferenceFunction,
    copras,
    edas,
    mabac,
    promethee_details,
    promethee_i,
    promethee_ii,
    score,
    spotis,
    topsis,
    vikor,
    vikor_details,
    waspas,
)
from decision.core.methods.objective_weights import critic_weights, entropy_weights

#: Half a unit of the last printed digit, plus the rounding of the papers' intermediate values.
THREE_DECIMALS = 1e-3
FOUR_DECIMALS = 1e-4
FIVE_DECIMALS = 1e-5


def ranks(values: ArrayLike, higher_is_better: bool = True) -> NDArray[np.int64]:
    """Competition ranks (1 best; tied values share the best rank of the tie)."""
    v = np.asarray(values, dtype=np.float64)
    key = -v if higher_is_better else v
    return np.array([1 + int(np.sum(key < k)) for k in key], dtype=np.int64)


def assert_published(
    got: ArrayLike, printed: ArrayLike, atol: float, higher_is_better: bool = True
) -> None:
    """Values within ``atol`` of the printed ones, and the same ranking exactly."""
    ours = np.asarray(got, dtype=np.float64)
    published = np.asarray(printed, dtype=np.float64)
    np.testing.assert_allclose(ours, published, rtol=0.0, atol=atol)
    np.testing.assert_array_equal(
        ranks(ours, higher_is_better), ranks(published, higher_is_better)
    )


# ---------------------------------------------------------------------------- Ersoy (2021)

# Ersoy, Y. (2021). Equipment selection for an e-commerce company using entropy-based TOPSIS,
# EDAS and CODAS methods during the COVID-19. LogForum, 17(3). doi:10.17270/J.LOG.2021.603.
# Six options, six criteria: four benefit, then two cost criteria; entropy weights
# (0.405, 0.221, 0.134, 0.199, 0.007, 0.034) as printed. Reproduced in pyrepo-mcda's
# tests/test_weighting_methods.py (Test_Entropy.test_Entropy3) and tests/test_mcda_methods_1.py
# (Test_TOPSIS, Test_EDAS).
ERSOY_X = np.array([
    [256, 8, 41, 1.6, 1.77, 7347.16],
    [256, 8, 32, 1.0, 1.80, 6919.99],
    [256, 8, 53, 1.6, 1.90, 8400.00],
    [256, 8, 41, 1.0, 1.75, 6808.90],
    [512, 8, 35, 1.6, 1.70, 8479.99],
    [256, 4, 35, 1.6, 1.70, 7499.99],
])
ERSOY_TYPES = np.array([True, True, True, True, False, False])
ERSOY_WEIGHTS = [0.405, 0.221, 0.134, 0.199, 0.007, 0.034]


def test_entropy_weights_ersoy_2021() -> None:
    # Ersoy (2021), LogForum 17(3): the entropy weights, printed to three decimals.
    assert_published(entropy_weights(ERSOY_X), ERSOY_WEIGHTS, THREE_DECIMALS)


def test_topsis_ersoy_2021() -> None:
    """Ersoy (2021), LogForum 17(3): TOPSIS closeness (vector normalisation), three decimals.

    The paper runs TOPSIS on its unrounded entropy weights: with the weights as printed (three
    decimals) closeness differs from the printed values by up to 7.5e-4, more than the printed
    precision, so the weights are
    the entropy weights of the table (checked against the printed ones above).
    """
    weights = entropy_weights(ERSOY_X)
    np.testing.assert_allclose(weights, ERSOY_WEIGHTS, atol=THREE_DECIMALS)
    printed = [0.308, 0.254, 0.327, 0.263, 0.857, 0.192]
    assert_published(topsis(ERSOY_X, weights, ERSOY_TYPES, normalisation="vector"), printed,
                     THREE_DECIMALS)
    assert_published(score("topsis", ERSOY_X, weights, ERSOY_TYPES), printed, THREE_DECIMALS)


def test_edas_ersoy_2021() -> None:
    # Ersoy (2021), LogForum 17(3): EDAS appraisal scores AS, three decimals; the same with the
    # printed weights and with the unrounded entropy weights.
    printed = [0.414, 0.130, 0.461, 0.212, 0.944, 0.043]
    assert_published(edas(ERSOY_X, ERSOY_WEIGHTS, ERSOY_TYPES), printed, THREE_DECIMALS)
    assert_published(edas(ERSOY_X, entropy_weights(ERSOY_X), ERSOY_TYPES), printed,
                     THREE_DECIMALS)
    assert_published(score("edas", ERSOY_X, ERSOY_WEIGHTS, ERSOY_TYPES), printed,
                     THREE_DECIMALS)


# ---------------------------------------------------------------- other entropy weight examples

# Xu, X. (2004). A note on the subjective and objective integrated approach to determine
# attribute weights. European Journal of Operational Research, 156(2), 530-532.
# doi:10.1016/S0377-2217(03)00146-2. Four options, four criteria; entropy weights printed to four
# decimals (the nearly constant fourth column gets 0.0000). Reproduced in pyrepo-mcda's
# tests/test_weighting_methods.py (Test_Entropy.test_Entropy).
def test_entropy_weights_xu_2004() -> None:
    x = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]])
    assert_published(entropy_weights(x), [0.4630, 0.3992, 0.1378, 0.0000], FOUR_DECIMALS)


# Zavadskas, E. K., & Podvezko, V. (2016). Integrated determination of objective criteria
# weights in MCDM. International Journal of Information Technology & Decision Making, 15(2),
# 267-283. Four options, four criteria; entropy weights printed
# to four decimals (entropy reads the raw table whatever the criteria's directions).
# Reproduced in pyrepo-mcda's tests/test_weighting_methods.py (Test_Entropy.test_Entropy2).
def test_entropy_weights_zavadskas_podvezko_2016() -> None:
    x = np.array([[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]])
    assert_published(entropy_weights(x), [0.1146, 0.1981, 0.4185, 0.2689], FOUR_DECIMALS)


# Lee, H.-C., & Chang, C.-T. (2018). Comparative analysis of MCDM methods for ranking renewable
# energy sources in Taiwan. Renewable and Sustainable Energy Reviews, 92, 883-896.
# doi:10.1016/j.rser.2018.05.007. Five energy sources, ten criteria; entropy weights printed to
# three decimals. Reproduced in pyrepo-mcda's tests/test_weighting_methods.py
# (Test_Entropy.test_Entropy4).
def test_entropy_weights_lee_chang_2018() -> None:
    x = np.array([
        [4550, 30.00, 6.74, 20.0, 15.0, 5, 85, 150, 0.87, 4.76],
        [3005, 60.86, 2.40, 35.0, 27.0, 4, 26, 200, 0.17, 4.51],
        [2040, 14.85, 1.70, 90.0, 25.0, 5, 26, 500, 0.27, 4.19],
        [3370, 99.40, 3.25, 25.3, 54.0, 3, 45, 222, 0.21, 3.78],
        [3920, 112.6, 4.93, 11.4, 71.7, 2, 50, 100, 0.25, 4.11],
    ])
    printed = [0.026, 0.154, 0.089, 0.199, 0.115, 0.040, 0.080, 0.123, 0.172, 0.002]
    assert_published(entropy_weights(x), printed, THREE_DECIMALS)


# ---------------------------------------------------- Tus & Aytac Adali (2019): CRITIC, WASPAS

# Tus, A., & Aytac Adali, E. (2019). The new combination with CRITIC and WASPAS methods for the
# time and attendance software selection problem. OPSEARCH, 56(2), 528-538.
# doi:10.1007/s12597-019-00371-6. Five software packages, six criteria: a cost criterion, then
# five benefit ones; CRITIC weights printed to three decimals, WASPAS (lambda = 0.5, linear
# normalisation) joint criterion Q. Reproduced in pyrepo-mcda's tests/test_weighting_methods.py
# (Test_CRITIC) and tests/test_mcda_methods_1.py (Test_WASPAS).
TUS_X = np.array([
    [5000, 3, 3, 4, 3, 2],
    [680, 5, 3, 2, 2, 1],
    [2000, 3, 2, 3, 4, 3],
    [600, 4, 3, 1, 2, 2],
    [800, 2, 4, 3, 3, 4],
], dtype=float)
TUS_TYPES = np.array([False, True, True, True, True, True])
TUS_CRITIC = [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]


def test_critic_weights_tus_aytac_adali_2019() -> None:
    """The printed CRITIC weights come from min-max normalising every column as a benefit column,
    the price column included (pyrepo-mcda's ``critic_weighting`` takes no criterion types and
    reproduces them). Diakoulaki et al. (1995), and our ``critic_weights``, mirror a cost column
    before correlating; mirroring flips the sign of every correlation with it and so changes the
    conflict term of every criterion (price then gets 0.184, not 0.157). The inputs are aligned
    to the paper: all columns are read as benefit columns for the weights."""
    assert_published(critic_weights(TUS_X, np.ones(6, dtype=bool)), TUS_CRITIC, THREE_DECIMALS)


def test_waspas_tus_aytac_adali_2019() -> None:
    """WASPAS Q with the printed CRITIC weights, as printed (0.5622, 0.6575, 0.6192, 0.6409,
    0.722). The paper's own intermediate values are rounded: with the unrounded CRITIC weights
    Q differs from the printed values by up to 4.4e-4, and with the printed weights the last
    option is 0.7228, so the comparison is at three decimals (the precision of its least
    precise printed value)."""
    printed = [0.5622, 0.6575, 0.6192, 0.6409, 0.722]
    assert_published(waspas(TUS_X, TUS_CRITIC, TUS_TYPES, lam=0.5, normalisation="linear"),
                     printed, THREE_DECIMALS)
    unrounded = critic_weights(TUS_X, np.ones(6, dtype=bool))
    assert_published(waspas(TUS_X, unrounded, TUS_TYPES), printed, THREE_DECIMALS)
    assert_published(score("waspas", TUS_X, TUS_CRITIC, TUS_TYPES, None, {"lam": 0.5}),
                     printed, THREE_DECIMALS)


# -------------------------------------------------------------------------------------- COPRAS

# Goswami, S., & Mitra, S. (2020). Selecting the best mobile model by applying AHP-COPRAS and
# AHP-ARAS decision making methodology. International Journal of Data and Network Science,
# 4(1), 27-42. doi:10.5267/j.ijdns.2019.8.004. Ten mobile phones, four criteria: a cost
# criterion, then three benefit ones; AHP weights; COPRAS utility degree printed to five decimals.
# Reproduced in pyrepo-mcda's tests/test_mcda_methods_2.py (Test_COPRAS).
def test_copras_goswami_mitra_2020() -> None:
    x = np.array([
        [80, 16, 2, 5], [110, 32, 2, 9], [130, 64, 4, 9], [185, 64, 4, 1], [135, 64, 3, 4],
        [140, 32, 3, 5], [185, 64, 6, 7], [110, 16, 3, 3], [120, 16, 4, 3], [340, 128, 6, 5],
    ], dtype=float)
    weights = [0.60338, 0.13639, 0.19567, 0.06456]
    types = np.array([False, True, True, True])
    printed = [1.0, 0.85262, 0.91930, 0.68523, 0.80515, 0.72587, 0.83436, 0.79758, 0.79097,
               0.79533]
    assert_published(copras(x, weights, types), printed, FIVE_DECIMALS)
    assert_published(score("copras", x, weights, types), printed, FIVE_DECIMALS)


# --------------------------------------------------------------------------------------- MABAC

# Isik, O., Aydin, Y., & Kosaroglu, S. M. (2020). The assessment of the logistics performance
# index of CEE countries with the new combination of SV and MABAC methods. LogForum, 16(4).
# Eleven countries, six benefit criteria (the LPI components),
# statistical-variance weights; MABAC scores S printed to six decimals and compared at four
# here (the performance table is itself printed to six). Reproduced in pyrepo-mcda's
# tests/test_mcda_methods_1.py (Test_MABAC).
def test_mabac_isik_aydin_kosaroglu_2020() -> None:
    x = np.array([
        [2.937588, 2.762986, 3.233723, 2.881315, 3.015289, 3.313491],
        [2.978555, 3.012820, 2.929487, 3.096154, 3.012820, 3.593939],
        [3.286673, 3.464600, 3.746009, 3.715632, 3.703427, 4.133620],
        [3.322037, 3.098638, 3.262154, 3.147851, 3.206675, 3.798684],
        [3.354866, 3.270945, 3.221880, 3.213207, 3.670508, 3.785941],
        [2.796570, 2.983000, 2.744904, 2.692550, 2.787563, 2.878851],
        [2.846491, 2.729618, 2.789990, 2.955624, 3.123323, 3.646595],
        [3.253458, 3.208902, 3.678499, 3.580044, 3.505663, 3.954262],
        [2.580718, 2.906903, 3.176497, 3.073653, 3.264727, 3.681887],
        [2.789011, 3.000000, 3.101099, 3.139194, 2.985348, 3.139194],
        [3.418681, 3.261905, 3.187912, 3.052381, 3.266667, 3.695238],
    ])
    weights = [0.171761, 0.105975, 0.191793, 0.168824, 0.161768, 0.199880]
    types = np.ones(6, dtype=bool)
    printed = [-0.155317, -0.089493, 0.505407, 0.132405, 0.246943, -0.386756, -0.179406,
               0.362921, -0.084198, -0.167505, 0.139895]
    assert_published(mabac(x, weights, types), printed, FOUR_DECIMALS)
    assert_published(score("mabac", x, weights, types), printed, FOUR_DECIMALS)


# -------------------------------------------------------------------------------------- SPOTIS

# Dezert, J., Tchamova, A., Han, D., & Tacnet, J.-M. (2020). The SPOTIS rank reversal free
# method for multi-criteria decision-making support. Proceedings of the 23rd International
# Conference on Information Fusion (FUSION 2020), pp. 1-8, IEEE. The paper's second example
# (four cars, five criteria: three cost, then two benefit) with the declared bounds per
# criterion; average distances D printed to four decimals (our score is 1 - D). Reproduced in
# pyrepo-mcda's tests/test_mcda_methods_1.py (Test_SPOTIS). The paper's first example is in
# test_methods_added.py.
def test_spotis_dezert_et_al_2020_cars() -> None:
    x = np.array([
        [15000, 4.3, 99, 42, 737],
        [15290, 5.0, 116, 42, 892],
        [15350, 5.0, 114, 45, 952],
        [15490, 5.3, 123, 45, 1120],
    ], dtype=float)
    bounds = [[14000, 16000], [3, 8], [80, 140], [35, 60], [650, 1300]]
    weights = [0.2941, 0.2353, 0.2353, 0.0588, 0.1765]
    types = np.array([False, False, False, True, True])
    printed_d = [0.4779, 0.5781, 0.5558, 0.5801]
    assert_published(1.0 - spotis(x, weights, types, bounds=bounds), printed_d, FOUR_DECIMALS,
                     higher_is_better=False)
    via_registry = score("spotis", x, weights, types, None,
                         {"bounds": "14000:16000,3:8,80:140,35:60,650:1300"})
    assert_published(1.0 - via_registry, printed_d, FOUR_DECIMALS, higher_is_better=False)


# --------------------------------------------------------------------------------------- VIKOR

# Papathanasiou, J., & Ploskas, N. (2018). VIKOR. In Multiple Criteria Decision Aid: Methods,
# Examples and Python Implementations (Springer Optimization and Its Applications 136),
# ch. 2, pp. 31-55 (book doi:10.1007/978-3-319-91648-4). Six options, four benefit criteria,
# weights (0.4, 0.3, 0.1, 0.2), v = 0.625; Q printed to three decimals (lower is better; our
# score is 1 - Q). Reproduced in pyrepo-mcda's tests/test_mcda_methods_1.py (Test_VIKOR).
PP_X = np.array([[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7],
                 [6, 9, 5, 4]], dtype=float)
PP_WEIGHTS = [0.4, 0.3, 0.1, 0.2]
PP_TYPES = np.ones(4, dtype=bool)


def test_vikor_papathanasiou_ploskas_2018() -> None:
    printed_q = [0.640, 1.000, 0.693, 0.271, 0.000, 0.694]
    details = vikor_details(PP_X, PP_WEIGHTS, PP_TYPES, v=0.625)
    assert_published(details.Q, printed_q, THREE_DECIMALS, higher_is_better=False)
    assert_published(1.0 - vikor(PP_X, PP_WEIGHTS, PP_TYPES, v=0.625), printed_q,
                     THREE_DECIMALS, higher_is_better=False)
    assert_published(1.0 - score("vikor", PP_X, PP_WEIGHTS, PP_TYPES, None, {"v": 0.625}),
                     printed_q, THREE_DECIMALS, higher_is_better=False)


# Yang, W., & Wu, Y. (2020). A new improvement method to avoid rank reversal in VIKOR. IEEE
# Access, 8, 21261-21271. Five options, four benefit criteria,
# equal weights, v = 0.5; Q printed to four decimals. Reproduced in pymcdm's test/test_mcdm.py
# (TestVIKOR.test_output_yang).
def test_vikor_yang_wu_2020() -> None:
    x = np.array([[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92],
                  [85, 9, 100, 29]], dtype=float)
    details = vikor_details(x, [0.25] * 4, np.ones(4, dtype=bool), v=0.5)
    assert_published(details.Q, [0.5679, 0.7667, 1.0, 0.7493, 0.0], FOUR_DECIMALS,
                     higher_is_better=False)


# ------------------------------------------------------------------------- PROMETHEE II and I

# Papathanasiou, J., & Ploskas, N. (2018). PROMETHEE. In Multiple Criteria Decision Aid:
# Methods, Examples and Python Implementations (Springer Optimization and Its Applications
# 136), ch. 3, pp. 57-89. doi:10.1007/978-3-319-91648-4_3. The same six-option table as the
# VIKOR chapter, with the linear preference function (q = 1, p = 2) on every criterion; net
# flows printed to two decimals. Reproduced in pyrepo-mcda's tests/test_mcda_methods_2.py
# (Test_PROMETHEE_II).
PP_NET = [-0.26, -0.52, -0.22, 0.36, 0.70, -0.06]
PP_LINEAR = PreferenceFunction("linear", q=1.0, p=2.0)


def test_promethee_ii_papathanasiou_ploskas_2018() -> None:
    flows = promethee_ii(PP_X, PP_WEIGHTS, PP_TYPES, preference=PP_LINEAR)
    assert_published(flows, PP_NET, 5e-3)
    via_registry = score("promethee", PP_X, PP_WEIGHTS, PP_TYPES, None,
                         {"preference": {"function": "linear", "q": 1, "p": 2}})
    assert_published(via_registry, PP_NET, 5e-3)


def test_promethee_i_net_flows_papathanasiou_ploskas_2018() -> None:
    """PROMETHEE I's registry score is the net flow: the chapter's printed net flows. The
    details' net flow is computed by a separate sweep (with phi+ and phi-); it must agree, and
    phi+ - phi- must be it. The chapter's phi+ and phi- could not be obtained, so they are
    checked only through their difference."""
    assert_published(promethee_i(PP_X, PP_WEIGHTS, PP_TYPES, preference=PP_LINEAR), PP_NET,
                     5e-3)
    details = promethee_details(PP_X, PP_WEIGHTS, PP_TYPES, preference=PP_LINEAR)
    assert_published(details.net, PP_NET, 5e-3)
    assert_published(details.positive - details.negative, PP_NET, 5e-3)


# Ziemba, P. (2019). Towards strong sustainability management: a generalized PROSA method.
# Sustainability, 11(6), 1555. doi:10.3390/su11061555. Nine options, twelve criteria (six
# cost), the linear function with a q and p per criterion; the weights as printed (they do not
# sum to 1; we normalise them, as pyrepo-mcda's reproduction does before comparing);
# PROMETHEE II net flows printed to four decimals. Reproduced in pyrepo-mcda's
# tests/test_mcda_methods_2.py (Test_PROMETHEE_II_2).
def test_promethee_ii_ziemba_2019() -> None:
    x = np.array([
        [38723, 34913, 25596, 34842, 22570, 39773, 19500, 34525, 16486],
        [33207, 32085, 2123, 32095, 1445, 17485, 868, 16958, 958],
        [0, 0.2, 5, 0.2, 0.2, 0.2, 99, 99, 99],
        [3375, 3127, 3547, 3115, 3090, 4135, 3160, 4295, 3653],
        [11.36, 12.78, 12.78, 12.86, 12.86, 17, 12.86, 17, 12.86],
        [-320.9, -148.4, -148.4, -9.9, -9.9, 0, -9.9, 0, -9.9],
        [203.7, 463, 356.2, 552.5, 295, 383, 264, 352, 264],
        [0, 11.7, 44.8, 11.7, 95.9, 95.9, 116.8, 116.8, 164.9],
        [0, 4.9, 10.7, 5.4, 11.2, 11.2, 11.2, 11.2, 11.2],
        [1, 1, 1, 3.5, 4, 4, 4, 4, 4],
        [21.5, 47.9, 27.7, 39.7, 1.5, 22.7, 2.7, 23.9, 1],
        [0, 3.7, 4.5, 10.3, 11.5, 11.5, 11.3, 11.3, 11.4],
    ]).T  # the paper lists criteria in rows
    weights = [0.3333, 0.1667, 0.1667, 0.3333, 0.25, 0.75, 1, 1, 0.4, 0.20, 0.40, 1]
    types = np.array([t > 0 for t in (-1, -1, 1, -1, 1, 1, -1, 1, 1, -1, -1, 1)])
    q = [420, 1000, 10, 40, 1, 7, 50, 20, 1, 1, 4.6, 1]
    p = [2100, 5000, 50, 200, 5, 20, 100, 80, 4, 2, 23, 3]
    preference = [PreferenceFunction("linear", q=qj, p=pj) for qj, pj in zip(q, p, strict=True)]
    printed = [-0.4143, -0.5056, -0.2317, -0.2892, 0.3313, 0.0619, 0.4296, 0.1626, 0.4554]
    assert_published(promethee_ii(x, weights, types, preference=preference), printed,
                     FOUR_DECIMALS)
    assert_published(promethee_i(x, weights, types, preference=preference), printed,
                     FOUR_DECIMALS)


# Ziemba, P., Wątróbski, J., Zioło, M., & Karczmarczyk, A. (2017). Using the PROSA method in
# offshore wind farm location problems. Energies, 10(11), 1755. doi:10.3390/en10111755. Four
# locations, twelve criteria (eight cost), the V-shape function with a p per criterion, weights
# as printed (percentages); PROMETHEE II net flows printed to four decimals. Reproduced in
# pyrepo-mcda's tests/test_mcda_methods_2.py (Test_PROMETHEE_II_3).
def test_promethee_ii_ziemba_et_al_2017() -> None:
    x = np.array([
        [16347, 14219, 8160, 8160],
        [9, 8.5, 9, 8.5],
        [73.8, 55, 64.8, 62.5],
        [36.7, 36, 28.5, 29.5],
        [1.5, 2, 2, 1.5],
        [3730, 3240, 1860, 1860],
        [2, 1, 2, 1],
        [1, 1, 2, 3],
        [38.8, 33.1, 45.8, 27.3],
        [4, 2, 4, 3],
        [1720524, 1496512, 858830, 858830],
        [40012, 34803, 19973, 19973],
    ]).T  # the paper lists criteria in rows
    weights = [20, 5, 5, 1.67, 1.67, 11.67, 11.67, 5, 5, 16.67, 8.33, 8.33]
    types = np.array([t > 0 for t in (-1, -1, -1, -1, -1, 1, -1, -1, 1, -1, 1, 1)])
    p = [7280, 4, 13.4, 7.4, 3, 1662, 3, 3, 13.8, 3, 766240, 17820]
    preference = [PreferenceFunction("vshape", p=pj) for pj in p]
    printed = [-0.0445, 0.1884, -0.0954, -0.0485]
    assert_published(promethee_ii(x, weights, types, preference=preference), printed,
                     FOUR_DECIMALS)
