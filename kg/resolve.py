"""Names to canonical nodes, within one paper and across papers.

A name's canonical key ignores case, hyphens, underscores, spaces and dots between letters,
but keeps digits, versions and "+": ``ResNet-50``, ``ResNet50`` and ``ResNet 50`` share a key,
``ResNet-18`` and ``Grad-CAM++`` do not.

Across papers, names are joined by union-find: every entity of every paper joins its own
name with its aliases. An acronym that two papers define with different long forms is
*ambiguous*: it joins nothing, so "PEA" (Parameter-Efficient Adapter) and "PEA" (Patch
Embedding Alignment) stay two nodes, each under its long form.

This module never imports spaCy.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

_DROP = re.compile(r"[\s\-_‐‑‒–—]+|(?<=[a-z])\.(?=[a-z])|[\"'“”‘’`]")
_PLURAL_FAMILY = re.compile(r"^(.*[a-z]{3})s$")


def canonical_key(name: str) -> str:
    """Key under which two spellings of a name are one thing.

    >>> canonical_key("ResNet-50") == canonical_key("ResNet 50") == canonical_key("resnet50")
    True
    >>> canonical_key("Grad-CAM++") == canonical_key("Grad-CAM")
    False
    >>> canonical_key("ImageNet-1k") == canonical_key("ImageNet-1K") != canonical_key("ImageNet-21k")
    True
    """
    return _DROP.sub("", name.strip().lower())


_POINT_ZERO = re.compile(r"(?<=\d)\.0+(?![\d.])")


def lexicon_key(name: str) -> str:
    """The canonical key with a version's trailing ".0" dropped: the key a lexicon of known
    names is looked up by ("wav2vec 2.0" is the "Wav2Vec2" of a model catalogue).

    >>> lexicon_key("wav2vec 2.0") == lexicon_key("Wav2Vec2"), lexicon_key("SQuAD v1.1")
    (True, 'squadv1.1')
    """
    return _POINT_ZERO.sub("", canonical_key(name))


SIZE_LETTERS = {"tiny": "ti", "t": "ti", "small": "s", "base": "b", "large": "l", "huge": "h", "giant": "g"}
#: a size written out or as its letter after a family's name: "ViT-Large/14", "ViT-L/14", "Swin-B", "Swin-T"
_SIZE = re.compile(r"(?<=[A-Za-z0-9])[-\s](tiny|small|base|large|huge|giant|Ti|[TSBLHg])(?=$|[/\-\s]|\d)", re.I)
#: "Vision Transformer" inside a name is its usual abbreviation ("Tokens-to-Token ViT")
_VIT = re.compile(r"visiontransformer(?!s)")


def resolution_key(name: str) -> str:
    """Key under which the names of one thing meet across papers: :func:`lexicon_key`, with a
    size written as its letter (marked, so that "ConvNeXt-S" never meets "ConvNeXts") and the
    true synonyms of ``synonyms.txt`` folded into one.

    >>> resolution_key("ViT-Large/14") == resolution_key("ViT-L/14") != resolution_key("ViT-H/14")
    True
    >>> resolution_key("MS-COCO") == resolution_key("COCO"), resolution_key("ILSVRC-2012") == resolution_key("ImageNet-1K")
    (True, True)
    >>> resolution_key("ImageNet-21K") == resolution_key("ImageNet-1K"), resolution_key("ConvNeXt-S") == resolution_key("ConvNeXts")
    (False, False)
    >>> resolution_key("Swin-T") == resolution_key("Swin-Tiny"), resolution_key("Tokens-To-Token Vision Transformer")
    (True, 'tokenstotokenvit')
    """
    sized = _SIZE.sub(lambda m: "~" + SIZE_LETTERS.get(m.group(1).lower(), m.group(1).lower()), name)
    key = _VIT.sub("vit", lexicon_key(sized))
    return synonyms().get(key, key)


def synonyms() -> dict:
    """Key -> the key of the first name of its line in ``synonyms.txt`` ("MS-COCO = COCO")."""
    global _SYNONYMS
    if _SYNONYMS is None:
        from .patterns import read_words

        _SYNONYMS = {}
        for line in read_words("synonyms.txt"):
            names = [n.strip() for n in line.split("=") if n.strip()]
            for n in names[1:]:
                _SYNONYMS[lexicon_key(n)] = lexicon_key(names[0])
    return _SYNONYMS


_SYNONYMS = None


def is_acronym(name: str) -> bool:
    """Short upper-case names ("ViT", "PEA", "MS-COCO") whose meaning depends on the paper.

    >>> is_acronym("PEA"), is_acronym("ViT"), is_acronym("Vision Transformer")
    (True, True, False)
    """
    letters = re.sub(r"[^A-Za-z]", "", name)
    return 2 <= len(letters) <= 6 and " " not in name.strip() and sum(c.isupper() for c in letters) >= max(2, len(letters) // 2)


class UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller key wins, so the result does not depend on the order of unions
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


@dataclass
class Node:
    """One resolved entity: every surface form and the papers that mention it."""

    id: str
    type: str
    label: str
    aliases: list = field(default_factory=list)
    papers: list = field(default_factory=list)  # paper ids, sorted
    forms: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)


class Resolver:
    """Collects the entities of many papers, then assigns each (paper, name) a node.

    >>> r = Resolver()
    >>> r.add("p1", [{"name": "Vision Transformer", "type": "method", "aliases": ["ViT"]}])
    >>> r.add("p2", [{"name": "ViT", "type": "method", "aliases": []}])
    >>> r.add("p3", [{"name": "ResNet50", "type": "method", "aliases": []},
    ...              {"name": "ResNet-18", "type": "method", "aliases": []}])
    >>> r.resolve()
    >>> r.node_of("p2", "ViT") == r.node_of("p1", "Vision Transformer")
    True
    >>> r.node_of("p3", "ResNet50") == r.node_of("p3", "ResNet-18")
    False
    """

    def __init__(self):
        self.entities: dict[str, list] = {}  # paper id -> entity dicts
        self.uf = UnionFind()
        self.nodes: dict[str, Node] = {}
        self._root_node: dict[str, str] = {}
        self._ambiguous: set[str] = set()
        self._type_of_key: dict[str, dict] = {}
        self._coined: dict[str, set] = {}  # paper id -> keys of the names it coins
        self._collide: set[str] = set()  # keys coined by more than one paper: one thing each
        self._misspelt: set[str] = set()  # forms joined to the name they misspell: never a label

    def add(self, paper_id: str, entities: list, coined=()) -> None:
        """A paper's entities; ``coined``: the names it coins (:func:`coined_names`)."""
        self.entities[paper_id] = entities
        if coined:
            self._coined[paper_id] = {resolution_key(n) for n in coined}

    def _scoped(self, etype: str, key: str) -> str:
        # repositories never merge with names; a name is a method or a dataset as most papers
        # type it, unless the other type has more than a third of its mentions: then two things
        # ("Chameleon" the model, "Chameleon" the graph dataset) stay two nodes
        if etype == "repository":
            return "r:" + key
        return self._type_of_key.get(key, {}).get(etype, etype)[0] + ":" + key

    def _decide_types(self) -> None:
        counts: dict[str, Counter] = defaultdict(Counter)
        for ents in self.entities.values():
            for e in ents:
                if e["type"] != "repository":
                    counts[resolution_key(e["name"])][e["type"]] += 1
        self._type_of_key = {}
        for key, c in counts.items():
            if len(c) > 1:
                (top, n_top), (_, n_other) = sorted(c.items(), key=lambda kv: (-kv[1], kv[0] != "method"))[:2]
                if n_other * 3 <= n_top + n_other:  # a stray typing joins the majority
                    self._type_of_key[key] = {t: top for t in c}

    def _join_plurals(self) -> None:
        """"EfficientNets" and "EfficientNet", "DETRs" and "DETR": one node when both occur."""
        keys = set(self.uf.parent)
        for k in sorted(keys):
            scope, key = k[:2], k[2:]
            if (scope != "r:" and key.endswith("s") and not key.endswith("ss") and len(key) > 4
                    and key[-2].isalpha() and scope + key[:-1] in keys):
                self.uf.union(scope + key[:-1], k)

    def _join_typos(self) -> None:
        """A long name misspelt by one dropped or swapped lower-case letter ("EfficienNet",
        "IncepitonNeXt") joins the name it misspells: same type, same capitals, and the right
        spelling seen in at least twice as many papers or coined by a paper that misspells it.
        A dropped digit or capital is another name (ResNet-10, ResNeXt-50), never a typo."""
        papers: dict[str, set] = defaultdict(set)
        form: dict[str, Counter] = defaultdict(Counter)
        for pid, ents in self.entities.items():
            for e in ents:
                scope = self._keys(e, pid)[0][:2]
                for f in [e["name"], *e.get("aliases", [])]:
                    k = scope + resolution_key(f)
                    papers[k].add(pid)
                    form[k][f] += 1
        near: dict[str, list] = defaultdict(list)  # a misspelling -> the names it may misspell
        for k in sorted(papers):
            body = k[2:]
            if len(body) < 8 or "@" in k:
                continue
            for i, c in enumerate(body):
                if c.isalpha():
                    near[k[:2] + body[:i] + body[i + 1:]].append(k)
                if i + 1 < len(body) and c.isalpha() and body[i + 1].isalpha() and c != body[i + 1]:
                    near[k[:2] + body[:i] + body[i + 1] + c + body[i + 2:]].append(k)
        coined = self._coined
        for k in sorted(k for k in papers if k in near):
            ps = papers[k]
            coined_here = set().union(*(coined.get(p, set()) for p in ps))  # what k's papers coin
            for right in near[k]:
                if right == k or _capitals(form[k]) != _capitals(form[right]):
                    continue
                if len(papers[right]) >= 2 * len(ps) or right[2:] in coined_here and k[2:] not in coined_here:
                    self.uf.union(right, k)
                    self._misspelt.update(form[k])
                    break

    def resolve(self) -> None:
        self._decide_types()
        coiners = Counter(k for keys in self._coined.values() for k in keys)
        self._collide = {k for k, n in coiners.items() if n > 1}
        # 1. acronyms defined with more than one long form across papers are ambiguous
        long_forms: dict[str, set] = defaultdict(set)
        for ents in self.entities.values():
            for e in ents:
                forms = [e["name"], *e.get("aliases", [])]
                acr = [f for f in forms if is_acronym(f)]
                longs = {canonical_key(f) for f in forms if not is_acronym(f)}
                for a in acr:
                    long_forms[canonical_key(a)] |= longs
        self._ambiguous = {a for a, ls in long_forms.items() if len(ls) > 1}
        # 2. union names with aliases, except through ambiguous acronyms
        for pid, ents in self.entities.items():
            for e in ents:
                keys = self._keys(e, pid)
                for k in keys[1:]:
                    self.uf.union(keys[0], k)
                self.uf.find(keys[0])
        self._join_plurals()
        self._join_typos()
        # 3. nodes from components
        comps: dict[str, Node] = {}
        for pid in sorted(self.entities):
            for e in self.entities[pid]:
                root = self.uf.find(self._keys(e, pid)[0])
                node = comps.setdefault(root, Node(id="", type="", label=""))
                for f in [e["name"], *e.get("aliases", [])]:
                    node.forms[f] += 1
                node.types[e["type"]] += 1
                if not node.papers or node.papers[-1] != pid:
                    node.papers.append(pid)
        for root, node in comps.items():
            node.type = max(node.types.items(), key=lambda kv: (kv[1], kv[0] == "method", kv[0]))[0]
            node.label = _best_label(Counter({f: n for f, n in node.forms.items() if f not in self._misspelt})
                                     or node.forms)
            node.aliases = sorted({f for f in node.forms if f != node.label})
            node.papers = sorted(set(node.papers))
            node.id = f"{node.type}:{canonical_key(node.label)}" if node.type != "repository" else node.label
            self._root_node[root] = node.id
        ids = Counter(n.id for n in comps.values())
        for root, node in sorted(comps.items()):
            if ids[node.id] > 1:  # two components with one label key: keep them apart
                node.id = f"{node.id}#{root[2:]}"
                self._root_node[root] = node.id
            self.nodes[node.id] = node

    def _keys(self, e: dict, pid: str) -> list:
        """Scoped keys of an entity's name and aliases; ambiguous acronyms left out; a name that
        this paper and another both coin is this paper's own (keyed with the paper id)."""
        key = resolution_key(e["name"])
        scope = self._scoped(e["type"], key)[:2]
        own = "@" + pid if key in self._collide and key in self._coined.get(pid, ()) else ""
        keys = [scope + resolution_key(f) + own for f in [e["name"], *e.get("aliases", [])]
                if not (is_acronym(f) and canonical_key(f) in self._ambiguous)]
        return keys or [scope + key + own]

    def node_of(self, paper_id: str, name: str) -> str | None:
        """Node id for a name (or alias) as one paper used it."""
        for e in self.entities.get(paper_id, []):
            if name == e["name"] or name in e.get("aliases", []):
                return self._root_node[self.uf.find(self._keys(e, paper_id)[0])]
        return None


#: the rules by which a paper coins a name: its title prefix ("SimpleNet: ...") and naming phrases
COINING_RULES = ("title_prefix", "ctx_")


def coined_names(record: dict) -> list:
    """Names an extraction record says its paper coins ("X: A ..." titles, "dubbed X").

    >>> coined_names({"relations": [{"relation": "introduces", "tail": "SimpleNet", "rule": "title_prefix"},
    ...                             {"relation": "introduces", "tail": "ViT", "rule": "intro_dobj"}]})
    ['SimpleNet']
    """
    return [r["tail"] for r in record.get("relations", ()) if r.get("relation") == "introduces"
            and str(r.get("rule", "")).startswith(COINING_RULES)]


def _capitals(forms: Counter) -> int:
    """How many capitals the most frequent of a name's forms has."""
    top = max(forms.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return sum(c.isupper() for c in top)


def _best_label(forms: Counter) -> str:
    """Most frequent surface form; ties go to the longer, then alphabetically first.

    Acronyms lose to a long form only when the long form is more frequent.
    """
    return max(forms.items(), key=lambda kv: (kv[1], len(kv[0]), [-ord(c) for c in kv[0]]))[0]
