"""What a sentence claims: names used, not introduced; data taken from, not measured on; who a part belongs to."""
import pytest

from kg.read import Paper


def _record(extractor, nlp, text, title="A study of image models"):
    return extractor.record(nlp(text), Paper(title=title, abstract=text, source="t"))


def _edges(extractor, nlp, text, title="A study of image models"):
    return {(r["head"], r["relation"], r["tail"]) for r in _record(extractor, nlp, text, title)["relations"]}


@pytest.mark.model
@pytest.mark.parametrize("text, used, made", [
    # a kind the new model resembles ("X-like") is not introduced, nor the head of the paper's results
    ("We explore segmentation, proposing U-Net-like architectures with spline convolutions, and achieving strong "
     "results on BUSI.", "U-Net", None),
    # a name the sentence marks as earlier or standard work
    ("Building on a recently proposed method called Grad-CAM, we propose a generalized method called ZephyrCAM.",
     "Grad-CAM", "ZephyrCAM"),
    ("Furthermore, we release popular video-language models, ALPRO and mPLUG-2, and our proposed model ZephyrVid.",
     "mPLUG-2", "ZephyrVid"),
    ("This note presents a few minor modifications to the original Vision Transformer (ViT) training setting.",
     "Vision Transformer", None),
    ("This note presents a few minor modifications to the standard Vision Transformer (ViT) training setting.",
     "Vision Transformer", None),
    ("This note presents a few minor modifications to the vanilla Vision Transformer (ViT) training setting.",
     "Vision Transformer", None),
    ("This note presents a few minor modifications to the classic Vision Transformer (ViT) training setting.",
     "Vision Transformer", None),
    ("This note presents a few minor modifications to the established Vision Transformer (ViT) training setting.",
     "Vision Transformer", None),
    # a known model the sentence sets the new one against
    ("We present in this paper a new architecture, named Convolutional vision Transformer (CvT), that improves "
     "Vision Transformer (ViT) in performance and efficiency.", "Vision Transformer", "Convolutional vision Transformer"),
    # a model others have shown results with, even when called new
    ("In recent months, a new state space model, colloquially termed Mamba, has demonstrated strong performance.",
     "Mamba", None),
])
def test_names_used_not_introduced(extractor, nlp, text, used, made):
    got = _edges(extractor, nlp, text)
    assert not any(r == "introduces" and t == used for _, r, t in got)
    assert not any(h == used and r == "evaluated_on" for h, r, _ in got)
    if made:
        assert any(r == "introduces" and t == made for _, r, t in got)


@pytest.mark.model
@pytest.mark.parametrize("text, source, measured", [
    ("When applied to new domains, e.g. from GTA5 to Cityscapes, ZephyrNet achieves strong improvements.",
     "GTA5", "Cityscapes"),
    ("We validate our approach on 96 million images from YFCC100M, achieving state-of-the-art results on "
     "standard benchmarks.", "YFCC100M", None),
    ("An additional experiment exposes the distinctiveness between the MAMe dataset and the prototypical "
     "ImageNet dataset.", "ImageNet", None),
    ("Then, we propose a large-scale benchmark for object detection in aerial images, which we name as ZephyrDet.",
     "ZephyrDet", None),
    ("Though recently vision transformers have shown great potential in ImageNet classification, their performance "
     "is still inferior to that of CNNs.", "ImageNet", None),
    # data taken in as material (scope.json data_use_verbs)
    ("By exploiting the Places365 dataset, ZephyrNet achieves 80.1% top-1 accuracy on ImageNet.", "Places365",
     "ImageNet"),
])
def test_data_taken_from_or_made_is_not_evaluated_on(extractor, nlp, text, source, measured):
    tails = {t for _, r, t in _edges(extractor, nlp, text) if r == "evaluated_on"}
    assert source not in tails
    if measured:
        assert measured in tails


@pytest.mark.model
def test_a_part_of_a_method_stands_for_it(extractor, nlp):
    text = ("We present ZephyrNet, a multimodal transformer. Especially, ZephyrNet's vision Transformer achieves the top-1 "
            "accuracy of 82.1% on Kinetics-400 and 83.6% on Kinetics-600.")
    got = _edges(extractor, nlp, text)
    assert ("ZephyrNet", "evaluated_on", "Kinetics-400") in got
    assert not any(r == "evaluated_on" and h != "ZephyrNet" for h, r, _ in got)


@pytest.mark.model
def test_a_comparisons_dataset_is_not_the_baselines_training_data(extractor, nlp):
    text = "Moreover, ZephyrNet obtains 86.3%, even outperforming ViT-L with supervised pre-training on ImageNet-22K."
    rels = _record(extractor, nlp, text)["relations"]
    win = [r for r in rels if r["relation"] == "outperforms" and r["tail"] == "ViT-L"]
    assert win and all(r.get("dataset") != "ImageNet-22K" for r in win)


@pytest.mark.model
def test_an_evaluation_does_not_borrow_a_neighbours_percentage(extractor, nlp):
    text = ("Our ZephyrNet achieves an ImageNet-A accuracy of 61.6%, a COCO object detection mAP of 57.1, "
            "and an ADE20K semantic segmentation mIoU of 54.7.")
    rels = {r["tail"]: r for r in _record(extractor, nlp, text)["relations"] if r["relation"] == "evaluated_on"}
    assert rels["ImageNet-A"].get("value") == "61.6%"
    assert "COCO" in rels and rels["COCO"].get("value") != "61.6%"


@pytest.mark.model
def test_an_evaluations_value_is_a_level_not_a_margin(extractor, nlp):
    text = "Our ZephyrNet achieves significant improvements on ImageNet-C (+6.5%) and reaches 84.1% on ImageNet."
    rels = {r["tail"]: r for r in _record(extractor, nlp, text)["relations"] if r["relation"] == "evaluated_on"}
    assert "ImageNet-C" in rels and "value" not in rels["ImageNet-C"]
    assert rels["ImageNet"].get("value") == "84.1%"
    text = "Our ZephyrNet reaches 78.7% on ImageNet compared to 64.7% by training the same model from scratch."
    rels = {r["tail"]: r for r in _record(extractor, nlp, text)["relations"] if r["relation"] == "evaluated_on"}
    assert rels["ImageNet"].get("value") != "64.7%"
