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
