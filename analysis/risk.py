"""A short risk summary naming high-risk combinations of indicators, as support for the judge's assessment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analysis.names import name
from core.i18n import translate

DISCLAIMER = translate("risk_disclaimer", "en")


@dataclass(frozen=True)
class Combination:
    """A set of indicators that together point strongly to trafficking or serious exploitation."""

    name: str
    needs: tuple[frozenset[str], ...]  # every group must be matched by at least one indicator found
    child: bool = False  # the combination applies only when the victim is a child


def _any(*ids: str) -> frozenset[str]:
    return frozenset(ids)


_SEXUAL = _any(
    "child_commercial_sex", "quota_of_clients", "madam_controller", "hotel_apartment_rotation",
    "advertised_online_sexual_services", "child_sexual_abuse_material_production", "sextortion_coerced_images",
)  # fmt: skip
_CONTROL = _any("restricted_movement", "isolation_no_language", "controlled_by_third_party", "domestic_servitude")
_NO_PAY = _any("no_pay_or_wages_withheld", "earnings_handed_over", "no_control_over_money_or_bank")

COMBINATIONS: tuple[Combination, ...] = (
    Combination(
        "child victim with debt bondage and confiscated documents",
        (_any("debt_bondage"), _any("documents_confiscated")),
        child=True,
    ),
    Combination("child victim in sexual exploitation", (_SEXUAL,), child=True),
    Combination("ritual oath combined with a debt", (_any("ritual_oath_juju"), _any("debt_bondage"))),
    Combination("isolation or confinement combined with no pay", (_CONTROL, _NO_PAY)),
    Combination("debt combined with confiscated documents", (_any("debt_bondage"), _any("documents_confiscated"))),
    Combination(
        "violence or threats combined with exploitation",
        (_any("physical_violence", "threats_against_family", "sextortion_coerced_images"), _SEXUAL | _NO_PAY),
    ),
    Combination(
        "gangmaster recruitment with wages far below the legal minimum",
        (_any("gangmaster_transport_to_fields"), _any("no_pay_or_wages_withheld")),
    ),
    Combination(
        "child used for begging or crimes under adult control",
        (_any("child_begging", "child_forced_criminality", "child_drug_dealing_courier"),),
        child=True,
    ),
    Combination("sale of a child or of a bride", (_any("illegal_adoption_sale_of_child", "bride_price"),)),
    Combination("organ removal", (_any("organ_removal"),)),
)


def high_risk_combinations(found: Iterable[str], child: bool) -> list[str]:
    """Names of the combinations that the found indicator ids complete."""
    ids = set(found)
    return [
        combination.name
        for combination in COMBINATIONS
        if (child or not combination.child) and all(group & ids for group in combination.needs)
    ]


def risk_summary(found_labels: dict[str, str], elements: dict[str, str], child: bool, language: str = "en") -> str:
    """A few sentences for the judge: what was found, which combinations stand out, and the disclaimer.

    Args:
        found_labels: indicator id -> label (in ``language``), for the indicators found.
        elements: element name -> status (found, not_found, not_required).
        child: whether the case concerns a child.
        language: "en" or "it".
    """
    disclaimer = translate("risk_disclaimer", language)
    if not found_labels:
        return translate("risk_none", language) + " " + disclaimer
    labels = list(found_labels.values())
    shown = "; ".join(labels[:8]) + ("…" if len(labels) > 8 else "")
    parts = [translate("risk_found", language, n=len(labels), labels=shown)]
    combinations = [name("combinations", c, language) for c in high_risk_combinations(found_labels, child)]
    if combinations:
        parts.append(translate("risk_combinations", language, combinations="; ".join(combinations)))
    if child:
        parts.append(translate("risk_child", language))
    present = [name("elements", element, language) for element, status in elements.items() if status == "found"]
    if present:
        parts.append(translate("risk_elements", language, elements=", ".join(present)))
    parts.append(disclaimer)
    return " ".join(parts)
