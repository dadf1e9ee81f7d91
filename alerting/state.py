"""The alert state machine: each label set's instance through Normal, Pending, Alerting, Recovering, NoData, Error.

Followed in grafana/grafana pkg/services/ngalert/state: state.go (``resultNormal``, ``resultAlerting``,
``resultError``, ``resultNoData``, ``resultKeepLast``, ``transition``: the pending period from the instance's
StartsAt, ``for`` 0 firing at once, NoData and Error options, the reason set when the state differs from the
result; ``NeedsSending``: Pending never notifies, Normal only when just resolved), manager.go
(``setNextStateForRule``: a NoData or Error evaluation with the option Alerting, OK or KeepLast moves every
existing instance of the rule; otherwise each result its own instance, keyed by labels), cache.go and
``stateIsStale`` (an instance missing from ``missing_series_evals_to_resolve`` evaluations resolves as
``MissingSeries`` and is dropped), and schedule/loaded_metrics_reader.go (the label sets a recovery threshold
treats as firing: Alerting or Pending with no reason). Grafana 12's ``keep_firing_for`` (PRs #100750, #103248):
an Alerting instance whose result turns Normal is Recovering, still firing, until ``keepFiringFor`` has passed
since it began recovering; a breach meanwhile takes it straight back to Alerting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alerting.evaluate import ALERTING, ERROR, NODATA, NORMAL, PENDING, RECOVERING, Result
from alerting.rule import AlertRule
from alerting.values import Labels

FIRING = frozenset({ALERTING, RECOVERING, NODATA, ERROR})  # what the Alertmanager receives as a firing alert
MISSING_SERIES = "MissingSeries"


@dataclass
class Instance:
    """One alert instance's state; ``since`` is Grafana's StartsAt (ms), when the current state began."""

    labels: Labels
    state: str = NORMAL
    reason: str = ""
    since: int = 0
    last_evaluated: int = 0


@dataclass(frozen=True)
class Transition:
    """A change of an instance's state (or of its reason) at one evaluation, and what Grafana notifies."""

    at: int
    rule: str
    labels: Labels
    previous: str
    state: str
    reason: str = ""
    values: tuple[tuple[str, float | None], ...] = ()
    error: str = ""

    @property
    def shown(self) -> str:
        return f"{self.state} ({self.reason})" if self.reason else self.state

    @property
    def fires(self) -> bool:
        """A new page: the instance starts firing (Pending or Normal before, firing after)."""
        return self.state in FIRING and self.previous not in FIRING

    @property
    def resolves(self) -> bool:
        """A resolved notification: a firing instance back to Normal."""
        return self.state == NORMAL and self.previous in FIRING


class RuleState:
    """Every instance of one rule, advanced one evaluation at a time."""

    def __init__(self, rule: AlertRule, interval_s: float) -> None:
        self.rule = rule
        self.interval_ms = round(interval_s * 1000)
        self.instances: dict[Labels, Instance] = {}

    def loaded(self) -> frozenset[Labels]:
        """Label sets a recovery threshold sees as firing: Alerting or Pending, with no reason."""
        return frozenset(
            labels for labels, i in self.instances.items() if i.state in (ALERTING, PENDING) and not i.reason
        )

    def advance(self, results: Sequence[Result], at: int) -> list[Transition]:
        """Apply one evaluation's results at ``at`` (epoch ms); return the instances whose state changed."""
        rule = self.rule
        changes: list[Transition] = []
        every = [r.state for r in results]
        to_all = bool(self.instances) and (
            (every and all(s == NODATA for s in every) and rule.no_data_state != "NoData")
            or (every and all(s == ERROR for s in every) and rule.exec_err_state != "Error")
        )
        if to_all:
            for instance in self.instances.values():
                changes.extend(self._step(instance, results[0], at))
        else:
            for result in results:
                if result.labels not in self.instances:
                    self.instances[result.labels] = Instance(result.labels, since=at, last_evaluated=at)
                changes.extend(self._step(self.instances[result.labels], result, at))
        for labels, instance in list(self.instances.items()):
            if instance.last_evaluated == at:
                continue
            if at - instance.last_evaluated >= rule.missing_series_evals * self.interval_ms:
                del self.instances[labels]
                if instance.state != NORMAL:
                    changes.append(Transition(at, rule.uid, labels, instance.state, NORMAL, MISSING_SERIES))
        return changes

    def _step(self, instance: Instance, result: Result, at: int) -> list[Transition]:
        before, reason_before = instance.state, instance.reason
        instance.last_evaluated = at
        handler = {NORMAL: self._normal, ALERTING: self._alerting, NODATA: self._no_data, ERROR: self._error}
        handler[result.state](instance, at)
        instance.reason = self._reason(instance, result)
        if instance.state == before and instance.reason == reason_before:
            return []
        return [
            Transition(
                at,
                self.rule.uid,
                instance.labels,
                before,
                instance.state,
                instance.reason,
                tuple(sorted(result.values.items())),
                result.error,
            )
        ]

    def _reason(self, instance: Instance, result: Result) -> str:
        if instance.state == result.state or result.state in (NORMAL, ALERTING):
            return ""
        option = self.rule.no_data_state if result.state == NODATA else self.rule.exec_err_state
        return f"{result.state}, KeepLast" if option == "KeepLast" else result.state

    def _enter(self, instance: Instance, state: str, at: int) -> None:
        instance.state, instance.since = state, at

    def _normal(self, instance: Instance, at: int) -> None:
        keep = self.rule.keep_firing_for_s * 1000
        if instance.state == ALERTING and keep > 0:
            self._enter(instance, RECOVERING, at)
        elif instance.state == RECOVERING:
            if at - instance.since >= keep:
                self._enter(instance, NORMAL, at)
        elif instance.state != NORMAL:
            self._enter(instance, NORMAL, at)

    def _alerting(self, instance: Instance, at: int) -> None:
        pending = self.rule.for_s * 1000
        if instance.state in (ALERTING, RECOVERING):
            if instance.state == RECOVERING:
                self._enter(instance, ALERTING, at)
        elif instance.state == PENDING:
            if at - instance.since >= pending:
                self._enter(instance, ALERTING, at)
        else:
            self._enter(instance, PENDING if pending > 0 else ALERTING, at)

    def _keep_last(self, instance: Instance, at: int) -> None:
        if instance.state in (ALERTING, RECOVERING):
            self._alerting(instance, at)
        elif instance.state == PENDING:
            if at - instance.since >= self.rule.for_s * 1000:
                self._alerting(instance, at)
        else:
            self._normal(instance, at)

    def _no_data(self, instance: Instance, at: int) -> None:
        option = self.rule.no_data_state
        if option == "Alerting":
            self._alerting(instance, at)
        elif option == "OK":
            self._normal(instance, at)
        elif option == "KeepLast":
            self._keep_last(instance, at)
        elif instance.state != NODATA:
            self._enter(instance, NODATA, at)

    def _error(self, instance: Instance, at: int) -> None:
        option = self.rule.exec_err_state
        if option == "Alerting":
            self._alerting(instance, at)
        elif option == "OK":
            self._normal(instance, at)
        elif option == "KeepLast":
            self._keep_last(instance, at)
        elif instance.state != ERROR:
            self._enter(instance, ERROR, at)
