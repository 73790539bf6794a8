from apps.core.kept import KeptForAWhile


def test_a_value_is_read_once_while_kept_and_again_after_forget_or_expiry(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("apps.core.kept.time.monotonic", lambda: clock[0])
    reads = []
    kept = KeptForAWhile(15.0)

    def load():
        reads.append(1)
        return "value"

    assert kept.get("k", load) == "value"
    clock[0] += 14.9
    assert kept.get("k", load) == "value"
    assert len(reads) == 1
    clock[0] += 0.2
    kept.get("k", load)
    assert len(reads) == 2
    kept.forget(sender=object())
    kept.get("k", load)
    assert len(reads) == 3


def test_a_missing_value_is_not_kept():
    kept = KeptForAWhile(15.0)
    assert kept.get("k", lambda: None) is None
    assert kept.get("k", lambda: "set since") == "set since"


def test_a_lifetime_read_from_a_setting_is_read_at_each_use(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("apps.core.kept.time.monotonic", lambda: clock[0])
    lifetime = [5.0]
    kept = KeptForAWhile(lambda: lifetime[0])
    reads = []
    kept.get("k", lambda: reads.append(1) or "value")
    clock[0] += 4
    kept.get("k", lambda: reads.append(1) or "value")
    assert len(reads) == 1
    lifetime[0] = 1.0
    kept.get("k", lambda: reads.append(1) or "value")
    assert len(reads) == 2


def test_fresh_reads_again_and_forget_key_drops_one_value():
    kept = KeptForAWhile()
    kept.get("a", lambda: "a1")
    kept.get("b", lambda: "b1")
    assert kept.get("a", lambda: "a2") == "a1"
    assert kept.get("a", lambda: "a2", fresh=True) == "a2"
    kept.forget_key("a")
    assert kept.get("a", lambda: "a3") == "a3"
    assert kept.get("b", lambda: "b2") == "b1"


def test_a_value_that_is_gone_is_no_longer_kept():
    kept = KeptForAWhile()
    kept.get("k", lambda: "value")
    assert kept.get("k", lambda: None, fresh=True) is None
    assert kept.get("k", lambda: "back") == "back"


def test_past_most_values_the_old_ones_are_dropped():
    kept = KeptForAWhile(most=2)
    kept.get("a", lambda: "a")
    kept.get("b", lambda: "b")
    kept.get("c", lambda: "c")
    assert kept.get("a", lambda: "a again") == "a again"
    assert kept.get("c", lambda: "c again") == "c"
