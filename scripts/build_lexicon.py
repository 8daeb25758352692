#!/usr/bin/env python3
"""Regenerate ``kg/patterns/lexicon.tsv``: names of known models and datasets read from the
files of maintained packages (their wheels, downloaded with pip; nothing is imported).

usage: python scripts/build_lexicon.py [--wheels DIR] [-o kg/patterns/lexicon.tsv]

Sources (pinned in SOURCES below):

* ``transformers`` 4.46.3: ``MODEL_NAMES_MAPPING`` in ``models/auto/configuration_auto.py``, the
  display names of its architectures ("BERT", "LLaMA", "Wav2Vec2"); ``transformers`` 5.24.0:
  the configuration class names (``class LlamaConfig``) for the architectures added since;
* ``timm``: the families (one module per family) and the model names it registers with few parts
  ("resnet50d", "efficientnet_b0");
* ``torchvision``: the models it registers and the dataset classes ``torchvision.datasets`` exports;
* ``tensorflow-datasets``: the catalogue's dataset names, cased as their README writes them.

Models are typed ``method``, catalogue entries ``dataset``; a name in both, a generic word
(DENY) or too short to be a name is left out. The file is data for kg, never a dependency.
"""
from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.resolve import lexicon_key  # noqa: E402  (kg.resolve never imports spaCy)

SOURCES = [  # (distribution, version, licence)
    ("transformers", "4.46.3", "Apache-2.0"),
    ("transformers", "5.24.0", "Apache-2.0"),
    ("timm", "1.0.31", "Apache-2.0"),
    ("torchvision", "0.29.1", "BSD-3-Clause"),
    ("tensorflow-datasets", "4.9.10", "Apache-2.0"),
]

#: names in the sources that are ordinary words or generic families in an abstract
DENY = {
    # ordinary words and common nouns
    "arc", "auto", "bark", "beam", "beans", "bit", "canine", "citrus", "dices", "dots", "flowers", "funnel",
    "gap", "git", "groove", "helium", "iris", "led", "lost and found", "malaria", "mega", "nat", "opus",
    "pass", "penguins", "quality", "race", "radon", "reddit", "scan", "sew", "splinter", "sun", "titanic",
    "van", "wikipedia", "wordnet", "higgs", "cassava", "corruptions", "starcraft", "doge", "clic", "flic",
    "pit", "nest", "coat", "rag", "trunk", "radio", "uni", "speech2",
    # a dataset of the catalogue named after a model, or a method it collects
    "gpt3", "cycle gan", "segment anything",
    # generic descriptions rather than names
    "encoder decoder", "speech encoder decoder", "vision encoder decoder", "vision text dual encoder",
    "bert generation", "fake data", "image folder", "dataset folder", "vision dataset", "sbdataset",
    "moving sequence", "smart buildings", "abstract reasoning", "math dataset", "scientific papers",
    "salient span wikipedia", "rock paper scissors", "horses or humans", "cats vs dogs", "forest fires",
    "german credit numeric", "opinion abstracts", "answer equivalence", "symmetric solids", "spoken digit",
    "plant leaves", "bee dataset", "pet finder", "rock you", "web questions", "wiki bio", "multi news",
    "big patent", "media sum", "time series transformer", "speech to text",
}

DATA_DIRS_SKIP = {"core", "scripts", "testing", "proto", "url_checksums", "rlds", "rl_unplugged",
                  "robomimic", "d4rl", "dataset_collections", "datasets"}


def fetch(wheels: Path) -> dict:
    """The wheel file of each source, downloaded into ``wheels`` when missing."""
    out = {}
    for dist, version, _ in SOURCES:
        stem = dist.replace("-", "_")
        found = sorted(wheels.glob(f"{stem}-{version}-*.whl"))
        if not found:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheels),
                            f"{dist}=={version}"], check=True)
            found = sorted(wheels.glob(f"{stem}-{version}-*.whl"))
        out[(dist, version)] = zipfile.ZipFile(found[0])
    return out


def _assigned(source: str, name: str):
    """The literal value assigned to ``name`` at module level."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            value = node.value
            if isinstance(value, ast.Call) and value.args:  # OrderedDict([...])
                value = value.args[0]
            return ast.literal_eval(value)
    return None


def transformers_names(z4: zipfile.ZipFile, z5: zipfile.ZipFile) -> set:
    names = {display for _, display in _assigned(z4.read("transformers/models/auto/configuration_auto.py").decode(),
                                                  "MODEL_NAMES_MAPPING")}
    for n in z5.namelist():  # architectures added since: their configuration classes
        if re.match(r"transformers/models/[a-z0-9_]+/configuration_[a-z0-9_]+\.py$", n):
            names.update(c for c in re.findall(r"^class (\w+?)Config\(", z5.read(n).decode(), re.M)
                         if re.search(r"[A-Z].*[A-Z]|\d", c) and not re.search(_PART_OF_MODEL, c))
    return names


#: class names of a model's parts, not of a model
_PART_OF_MODEL = (r"(?:Encoder|Decoder|Head|Attention|FFN|Module|Tokenizer|Backbone|Adaptor|Adapter|Model|"
                  r"Assistant|Loop|Text|Vision|Audio|Speech|QFormer|Perceiver|Patcher|Talker|Thinker|Code2Wav|"
                  r"Predictor|Token2Wav|BigVGAN|DiT|VQVAE|HifiGan|Streaming|Diarization|Sam|Timestamp|Asr|CTC|"
                  r"Transcribe|Backbone|Codebook|Multimodal|Image|Depth|_)$|_")


def registered(z: zipfile.ZipFile, prefix: str) -> set:
    """Model functions a package registers (``@register_model`` then ``def name(``)."""
    out = set()
    for n in z.namelist():
        if n.startswith(prefix) and n.endswith(".py"):
            out.update(re.findall(r"@register_model\b[^\n]*\n(?:@[^\n]*\n)*def (\w+)\(", z.read(n).decode()))
    return out


def timm_names(z: zipfile.ZipFile) -> set:
    families = {n.split("/")[-1][:-3] for n in z.namelist()
                if re.match(r"timm/models/[a-z][a-z0-9_]*\.py$", n)} - {"factory", "features", "helpers", "hub",
                                                                         "registry", "fx_features", "layers"}
    models = {m for m in registered(z, "timm/models/") if m.count("_") <= 1 and not m.startswith("legacy_")}
    return families | models


def torchvision_names(z: zipfile.ZipFile) -> tuple:
    models = {m for m in registered(z, "torchvision/models/") if m.count("_") <= 2}
    datasets = {d for d in _assigned(z.read("torchvision/datasets/__init__.py").decode(), "__all__") if d[0].isupper()}
    return models, datasets


def tfds_names(z: zipfile.ZipFile) -> set:
    names = set()
    files = set(z.namelist())
    dirs = {n.split("/")[2] for n in files if re.match(r"tensorflow_datasets/datasets/[a-z0-9_]+/", n)}
    legacy = {n.split("/")[2][:-3] for n in files
              if re.match(r"tensorflow_datasets/([a-z0-9_]+)/[a-z0-9_]+\.py$", n)
              and n.split("/")[1] not in DATA_DIRS_SKIP and not n.endswith(("_test.py", "_utils.py", "__init__.py"))}
    for d in sorted(dirs | legacy):
        readme = f"tensorflow_datasets/datasets/{d}/README.md"
        display = d.replace("_", " ")
        if readme in files:  # "LibriSpeech is a corpus ...": the README's casing of the name
            words = z.read(readme).decode(errors="ignore").split()[:4]
            for k in range(len(words), 0, -1):
                cand = " ".join(words[:k]).strip(".,:;()")
                if lexicon_key(cand) == lexicon_key(d):
                    display = cand
                    break
        names.add(display)
    return names - {"dataset builder", "dataset importer builder", "dataset utils", "qa utils", "envlogger reader",
                    "libsvm ranking parser", "movielens parsing", "rlds base", "rlu common", "c4 utils",
                    "dmlab dataset", "open images challenge2019 beam", "atari utils"}


def keep(name: str) -> bool:
    k = lexicon_key(name)
    return len(k) >= 3 and not k.isdigit() and name.lower().replace("_", " ").replace("-", " ") not in DENY \
        and k not in {lexicon_key(d) for d in DENY}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheels", type=Path, default=Path("/tmp/kg-lexicon-wheels"))
    ap.add_argument("-o", "--out", type=Path, default=ROOT / "kg" / "patterns" / "lexicon.tsv")
    args = ap.parse_args(argv)
    args.wheels.mkdir(parents=True, exist_ok=True)
    z = fetch(args.wheels)
    methods = {}  # key -> (display name, source)
    datasets = {}
    for name in transformers_names(z[("transformers", "4.46.3")], z[("transformers", "5.24.0")]):
        methods.setdefault(lexicon_key(name), (name, "transformers"))
    tv_models, tv_data = torchvision_names(z[("torchvision", "0.29.1")])
    for name in sorted(timm_names(z[("timm", "1.0.31")])):
        methods.setdefault(lexicon_key(name), (name, "timm"))
    for name in sorted(tv_models):
        methods.setdefault(lexicon_key(name), (name, "torchvision"))
    for name in sorted(tv_data):  # "CocoDetection" is COCO read for detection
        name = re.sub(r"(?<=[a-z0-9])(?:Detection|Segmentation|Classification|Captions|Class|Pairs|People|Flow|Stereo)$",
                      "", name)
        datasets.setdefault(lexicon_key(name), (name, "torchvision"))
    for name in sorted(tfds_names(z[("tensorflow-datasets", "4.9.10")])):
        datasets.setdefault(lexicon_key(name), (name, "tensorflow-datasets"))
    both = set(methods) & set(datasets)
    rows = sorted([(n, "method", s) for k, (n, s) in methods.items() if k not in both and keep(n)]
                  + [(n, "dataset", s) for k, (n, s) in datasets.items() if k not in both and keep(n)],
                  key=lambda r: (lexicon_key(r[0]), r[1]))
    header = ["# Known model and dataset names, generated by scripts/build_lexicon.py: do not edit by hand.",
              "# Sources (package files read, nothing imported; name lists are facts about the packages):"]
    header += [f"#   {d} {v} ({lic}), https://pypi.org/project/{d}/{v}/" for d, v, lic in SOURCES]
    header += ["# Columns: name<TAB>type<TAB>source. Matched by kg.resolve.lexicon_key (case, spaces,",
               "# hyphens, underscores and a trailing .0 ignored)."]
    args.out.write_text("\n".join(header + ["\t".join(r) for r in rows]) + "\n", encoding="utf-8")
    print(f"{args.out}: {sum(r[1] == 'method' for r in rows)} methods, {sum(r[1] == 'dataset' for r in rows)} datasets")


if __name__ == "__main__":
    main()
