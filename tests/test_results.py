"""Results: which numbers are results (kg.numbers, text only), whose they are and where (kg.results)."""
import json
import re
from pathlib import Path

import pytest

from kg.read import Paper
from kg.metrics import higher_is_better, lexicon, metric_name
from kg.numbers import numbers_in
from kg.resolve import canonical_key
from kg.results import ResultFinder

from handbuilt import make

METRICS = json.loads((Path(__file__).resolve().parent.parent / "kg" / "patterns" / "metrics.json").read_text())


def names_in(text):
    """Spans of the stand-in names X, Y, D, D1, D2 ... of the test sentences."""
    return [m.span() for m in re.finditer(r"\b(?:X|Y|D\d?)\b", text)]


def values(text):
    spans = names_in(text)
    return [(n.value, n.unit, n.metric, n.delta) for n in numbers_in(text, spans, spans)]


@pytest.mark.parametrize("text, expected", [
    ("X achieves 88.56% top-1 accuracy on D.", [(88.56, "%", "top-1 accuracy", False)]),
    ("X reaches an FID of 2.27 on D.", [(2.27, None, "fid", False)]),
    ("X gets 57.8 PQ on D.", [(57.8, None, "pq", False)]),
    ("X gets 49.4AP in 12 epochs on D.", [(49.4, None, "ap", False)]),
    ("X improves over Y by 2.1% on D.", [(2.1, "%", "", True)]),
    ("X outperforms Y (e.g., +4.6 on D).", [(4.6, None, "", True)]),
    ("X is 3.2% more accurate on D than Y.", [(3.2, "%", "accuracy", True)]),
    ("X achieves 2.8%/1.0% top-1 accuracy improvements over Y.", [(2.8, "%", "top-1 accuracy", True),
                                                                  (1.0, "%", "top-1 accuracy", True)]),
    ("X reaches WER of 2.1%/4.3% on D.", [(2.1, "%", "wer", False), (4.3, "%", "wer", False)]),
    ("We achieve an FID of 2.97 on D1, 4.59 on D2, and 7.72 on D3.",
     [(2.97, None, "fid", False), (4.59, None, "fid", False), (7.72, None, "fid", False)]),
    ("X gets 0.78 and 0.76 Spearman correlation on D1 and D2.",
     [(0.78, None, "spearman correlation", False), (0.76, None, "spearman correlation", False)]),
    ("the accuracy of X improves by 1.7% on D1, 3.5% on D2.", [(1.7, "%", "accuracy", True),
                                                              (3.5, "%", "accuracy", True)]),
    ("X achieves up to 82.5% accuracy on D.", [(82.5, "%", "accuracy", False)]),
    ("X beats Y by approx1% on D.", [(1.0, "%", "", True)]),
    ("X gets 21.2% top-1 and 5.6% top-5 error on D.", [(21.2, "%", "top-1 error", False),
                                                        (5.6, "%", "top-5 error", False)]),
])
def test_result_numbers(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text", [
    "X is 5x faster and uses 51% fewer parameters on D.",          # speed and size
    "X reduces latency by 15% on D.",                               # a cost, said before the number
    "X beats Y by 9%-19% on D.",                                    # a range
    "X attains between 95% and 100% on D.",                         # a range
    "X reaches over 80% top-1 accuracy on D.",                      # a bound
    "X is the first model exceeding 87% accuracy on D.",            # a bound
    "On D, X attains within 0.4% of full fine-tuning.",             # a bound
    "X reaches up to 3.4% improved accuracy on D.",                 # "up to" on a gain
    "X achieves improvements of up to 6.5% and 4.1% on D1 and D2.",  # the whole list is a bound
    "X runs at 68.9 FPS and 0.8 ms on D.",                          # speed
    "X uses 20,000 annotations from 2021 on D.",                    # counts and years
    "X scales to 96k images with 30% pruning ratio on D.",          # sizes
    "For example, at 80% top-1 accuracy on D, X is 5 times faster than Y.",  # a condition
])
def test_not_result_numbers(text):
    spans = names_in(text)
    assert [n.value for n in numbers_in(text, spans, spans)] == []


def test_names_are_not_numbers():
    text = "ResNet-50 gets 76.1% on ImageNet-1K."
    assert values(text) == [(76.1, "%", "", False)]
    assert [n.value for n in numbers_in("X gets 7 on D-12.", [(13, 17)], [])] == []


def test_metric_names_group_and_rank():
    assert {metric_name(m) for m in ("top-1 accuracy", "Top-1 Acc.", "top-1", "zero-shot top-1 accuracy")} \
        == {"top-1 accuracy"}
    assert metric_name("box AP") == metric_name("AP_box") == "AP"
    assert not higher_is_better("FID") and not higher_is_better("word error rate") and higher_is_better("mIoU")


def test_metric_entries_are_complete():
    names = [m["name"] for m in METRICS["metrics"]]
    assert len(names) == len(set(names))
    for m in METRICS["metrics"]:
        assert m["better"] in ("higher", "lower") and m["forms"], m["name"]
        sentence, form, value = m["example"]
        assert form in [f.lower() for f in m["forms"]], m["name"]
    assert len(lexicon()["forms"]) > len(names)


# -- the finder on a hand-built parse: who and where, without a statistical model

def test_finder_reads_a_hand_built_doc():
    # "BiT achieves 87.5 % top-1 accuracy on CIFAR , surpassing ResNet by 2.4 % ."
    words = ["BiT", "achieves", "87.5", "%", "top-1", "accuracy", "on", "CIFAR", ",", "surpassing", "ResNet", "by",
             "2.4", "%", "."]
    heads = [1, 1, 3, 5, 5, 1, 5, 6, 1, 1, 9, 9, 13, 11, 1]
    deps = ["nsubj", "ROOT", "nummod", "compound", "amod", "dobj", "prep", "pobj", "punct", "advcl", "dobj", "prep",
            "nummod", "pobj", "punct"]
    tags = ["NNP", "VBZ", "CD", "NN", "JJ", "NN", "IN", "NNP", ",", "VBG", "NNP", "IN", "CD", "NN", "."]
    doc = make(words, heads, deps, tags=tags, ents=[(0, "method"), (7, "dataset"), (10, "method")])
    got = ResultFinder()(doc, {0: ["BiT"], 7: ["CIFAR"], 10: ["ResNet"]}, "PAPER")
    assert [(r.method, r.dataset, r.value, r.metric, r.delta, r.over) for r in got] == [
        ("BiT", "CIFAR", 87.5, "top-1 accuracy", False, ""), ("BiT", "CIFAR", 2.4, "top-1 accuracy", True, "ResNet")]


def test_finder_needs_a_dataset():
    words = ["BiT", "achieves", "87.5", "%", "top-1", "accuracy", "."]
    doc = make(words, [1, 1, 3, 5, 5, 1, 1], ["nsubj", "ROOT", "nummod", "compound", "amod", "dobj", "punct"],
               tags=["NNP", "VBZ", "CD", "NN", "JJ", "NN", "."], ents=[(0, "method")])
    assert ResultFinder()(doc, {0: ["BiT"]}, "PAPER") == []


# -- whole sentences through the real parser

def results_of(extractor, nlp, text, title="A paper about things"):
    rec = extractor.record(nlp(text), Paper(title=title, abstract=text, source="t"))
    key = lambda s: "PAPER" if s == title else canonical_key(s)
    return {(key(r["method"]), key(r["dataset"]), r["value"], r["delta"], canonical_key(r.get("over", "")))
            for r in rec["results"]}


@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    ("BiT achieves 87.5% top-1 accuracy on ILSVRC-2012, 99.4% on CIFAR-10, and 76.3% on VTAB.",
     {("bit", "ilsvrc2012", 87.5, False, ""), ("bit", "cifar10", 99.4, False, ""), ("bit", "vtab", 76.3, False, "")}),
    ("When evaluated on COCO and LVIS, GLIP achieves 49.8 AP and 26.9 AP, respectively.",
     {("glip", "coco", 49.8, False, ""), ("glip", "lvis", 26.9, False, "")}),
    ("Our searched model, BossNet-T, achieves 82.5% accuracy on ImageNet, surpassing EfficientNet by 2.4%.",
     {("bossnett", "imagenet", 82.5, False, ""), ("bossnett", "imagenet", 2.4, True, "efficientnet")}),
    ("For YOLO-Nano with only 0.91M parameters, we get 25.3% AP on COCO, surpassing NanoDet by 1.8% AP.",
     {("yolonano", "coco", 25.3, False, ""), ("yolonano", "coco", 1.8, True, "nanodet")}),
    ("After pre-training on JFT-300M, ViT-H reaches 88.5% top-1 accuracy on ImageNet.",
     {("vith", "imagenet", 88.5, False, "")}),
    ("Our EfficientNet-B7 achieves state-of-the-art accuracy on CIFAR-100 (91.7%) with 8x fewer parameters.",
     {("efficientnetb7", "cifar100", 91.7, False, "")}),
    ("MobileNetV3-Large is 3.2% more accurate on ImageNet while reducing latency by 15% compared to MobileNetV2.",
     {("mobilenetv3large", "imagenet", 3.2, True, "mobilenetv2")}),
    ("On ImageNet, the top-1 error of ResNet-50 and DeiT-S is reduced by 5.6% and 3.0%, respectively.",
     {("resnet50", "imagenet", 5.6, True, ""), ("deits", "imagenet", 3.0, True, "")}),
    ("FMViT outperforms ResNet-101 by 2.5% (83.3% vs. 80.8%) in top-1 accuracy on ImageNet.",
     {("fmvit", "imagenet", 2.5, True, "resnet101")}),
    ("DPR reaches 41.5 exact match on Quorbly Tales and 56.8 exact match on SQuAD.",  # a name it does not know
     {("dpr", "squad", 56.8, False, "")}),
    # a run of numbers before one dataset is all its; numbers and datasets written with "/" pair in order
    ("ZephyrNet achieves 85.4% top-1 accuracy on ImageNet-1K, 53.9 box AP and 46.4 mask AP on COCO.",
     {("zephyrnet", "imagenet1k", 85.4, False, ""), ("zephyrnet", "coco", 53.9, False, ""),
      ("zephyrnet", "coco", 46.4, False, "")}),
    ("ZephyrNet achieves 89.1% / 81.5% top-1 accuracy on ImageNet-1K / ImageNet-V2.",
     {("zephyrnet", "imagenet1k", 89.1, False, ""), ("zephyrnet", "imagenetv2", 81.5, False, "")}),
    # margins listed over listed baselines pair in order
    ("On ImageNet, ZephyrNet is 3.2% and 6.2% more accurate than MobileNetV3 (CNN-based) and DeiT (ViT-based).",
     {("zephyrnet", "imagenet", 3.2, True, "mobilenetv3"), ("zephyrnet", "imagenet", 6.2, True, "deit")}),
    # a backbone is not whose numbers they are; a list said to be better than others is of margins
    ("We propose ZephyrNet. It achieves 60.2 AP on Pascal VOC using a ResNet-50 backbone network, which are "
     "2.6 AP and 1.0 mIoU better than the previous best methods.",
     {("zephyrnet", "pascalvoc", 60.2, False, ""), ("zephyrnet", "pascalvoc", 2.6, True, ""),
      ("zephyrnet", "pascalvoc", 1.0, True, "")}),
])
def test_sentences(extractor, nlp, text, expected):
    assert results_of(extractor, nlp, text) == expected


@pytest.mark.model
def test_paper_own_method_and_no_dataset(extractor, nlp):
    text = "We propose TESLA. Our method achieves 27.9% testing accuracy. It reaches 56.7% mIoU on ADE20K."
    got = results_of(extractor, nlp, text)
    assert got == {("tesla", "ade20k", 56.7, False, "")}


@pytest.mark.model
@pytest.mark.parametrize("entry", METRICS["metrics"], ids=lambda m: m["name"])
def test_metric_example_gives_its_result(extractor, nlp, entry):
    sentence, form, value = entry["example"]
    rec = extractor.record(nlp(sentence), Paper(title="A paper about things", abstract=sentence, source="t"))
    assert [(r["metric"], r["value"]) for r in rec["results"]] == [(form, value)], sentence


# -- claim scope: only the paper's own, asserted results, measured where the sentence says

@pytest.mark.model
@pytest.mark.parametrize("text", [
    "We propose TESLA. Previous methods such as ResNet-50 reach 76.1% top-1 accuracy on ImageNet.",  # prior work
    "We propose TESLA. ViT-B has achieved 81.8% top-1 accuracy on ImageNet.",  # present perfect: background
    "We propose TESLA. Our model does not reach 80% top-1 accuracy on ImageNet.",  # negated
    "We propose TESLA. Our model may reach 80% top-1 accuracy on ImageNet with more data.",  # hedged
    "We propose TESLA. With ImageNet-21K pretrained weights, our model reaches 55.1% mIoU.",  # training data
])
def test_no_result_outside_the_claim(extractor, nlp, text):
    assert results_of(extractor, nlp, text) == set()


@pytest.mark.model
def test_part_of_the_paper_method_is_the_method(extractor, nlp):
    text = ("We present VATT, a multimodal transformer. "
            "VATT's vision Transformer achieves 82.1% top-1 accuracy on Kinetics-400.")
    assert results_of(extractor, nlp, text) == {("vatt", "kinetics400", 82.1, False, "")}


@pytest.mark.model
def test_fine_tuning_data_is_where_it_is_measured(extractor, nlp):
    text = "After fine-tuned on COCO, GLIP achieves 60.8 AP on val."
    assert results_of(extractor, nlp, text) == {("glip", "coco", 60.8, False, "")}
    text = "Specifically, CLIP ViT-Large/14 can achieve 88.0% finetuning top-1 accuracy on the ImageNet-1K dataset."
    assert results_of(extractor, nlp, text) == {("vitlarge/14", "imagenet1k", 88.0, False, "")}


def test_a_dataset_written_before_its_number_owns_it(extractor, nlp):
    text = ("Our kMaX-DeepLab achieves a new state-of-the-art performance on COCO val set with 58.0% PQ, "
            "Cityscapes val set with 68.4% PQ, 44.0% AP, and 83.5% mIoU, and ADE20K val set with 50.9% PQ.")
    rows = {(d, v) for _, d, v, _, _ in results_of(extractor, nlp, text, title="kMaX-DeepLab: k-means")}
    assert {("coco", 58.0), ("cityscapes", 68.4), ("cityscapes", 44.0), ("cityscapes", 83.5), ("ade20k", 50.9)} <= rows
    assert ("cityscapes", 58.0) not in rows
    rec = extractor.record(nlp(text), Paper(title="kMaX-DeepLab: k-means", abstract=text, source="t"))
    values = {r["tail"]: r.get("value") for r in rec["relations"] if r["relation"] == "evaluated_on"}
    assert values.get("Cityscapes") == "68.4%" and values.get("COCO") == "58.0%"


@pytest.mark.model
def test_a_figure_set_against_another_is_not_a_result(extractor, nlp):
    # "(N% vs. M%)" and "compared to M%" give figures of the compared runs, not results of the named method
    got = results_of(extractor, nlp, "On ImageNet, ZephyrNet outperforms MobileOne by 2.6% in top-1 accuracy, with "
                                     "latency comparable to MobileOne (78.5% vs. 75.9%).")
    assert got == {("zephyrnet", "imagenet", 2.6, True, "mobileone")}
    got = results_of(extractor, nlp, "ZephyrNet reaches 78.7% top-1 accuracy on ImageNet compared to 64.7% by "
                                     "training the same Transformer from scratch.")
    assert got == {("zephyrnet", "imagenet", 78.7, False, "")}
