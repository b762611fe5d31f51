"""The benchmark's synthetic data is valid data, at the size asked for."""

from __future__ import annotations

from bench.generate import generate
from chipsmag.loading import load_dataset


def test_generated_data_passes_the_validator(tmp_path, dataset):
    ds = load_dataset(generate(3, tmp_path / "data"))
    assert ds.issues == []
    assert len(ds.tables["events"]) == 3 * len(dataset.tables["events"])
    assert len(ds.tables["links"]) == 3 * len(dataset.tables["links"])
    copies = ds.tables["links"].set_index("id")
    assert (copies.at["L17_0002", "from_event"], copies.at["L17_0002", "to_event"]) == ("E40_0002", "E42_0002")
    assert ds.tables["sources"].equals(dataset.tables["sources"])
