"""Model -> files: the provisioning bundle and what Terraform reads, as bytes through one JSON encoder."""

from __future__ import annotations

from core.encoding import dumps
from dashcompiler.alerts_files import alerting_files
from dashcompiler.catalogue import CATALOGUE_PATH, render_catalogue
from dashcompiler.compile import Model
from dashcompiler.datamodel_json import GENERATED_PATH, render_datamodel_json
from dashcompiler.provisioning import datasources_yaml, providers_yaml


def bundle_files(model: Model) -> dict[str, bytes]:
    """The provisioning bundle as {path relative to provisioning/: content}, sorted by path."""
    env = model.env
    files = {
        "datasources/connect.yaml": datasources_yaml(env).encode(),
        "dashboards/connect.yaml": providers_yaml(env, (b.folder_uid for b in model.dashboards)).encode(),
    }
    for board in model.dashboards:
        files[f"dashboards/{board.folder_uid}/{board.uid}.json"] = dumps(board.json).encode()
    files.update({path: text.encode() for path, text in alerting_files(env, model.alerts).items()})
    return dict(sorted(files.items()))


def generated_files(default: Model) -> dict[str, bytes]:
    """{path relative to the repository: content} of what Terraform reads (the data model) and the panel catalogue
    (from the default environment's model)."""
    return {GENERATED_PATH: render_datamodel_json().encode(), CATALOGUE_PATH: render_catalogue(default).encode()}
