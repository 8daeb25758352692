"""The paper's own method (kg/paper_method.py): which name heads the paper's claims (real parser)."""
import pytest

from kg.read import Paper


def _record(extractor, nlp, title, text):
    paper = Paper(title=title, abstract=text, source="t")
    rec = extractor.record(nlp(text), paper)
    return paper, {(r["head"], r["relation"], r["tail"]) for r in rec["relations"]}


@pytest.mark.model
def test_a_method_named_as_the_title_goes_by_its_acronym(extractor, nlp):
    title = "Decoupled Knowledge Distillation"
    text = ("To address these issues, we present Decoupled Knowledge Distillation (DKD), enabling two parts to play "
            "their roles. Our DKD achieves better results on CIFAR-100 and ImageNet.")
    paper, rels = _record(extractor, nlp, title, text)
    assert (title, "introduces", "DKD") in rels
    assert ("DKD", "evaluated_on", "CIFAR-100") in rels
    assert not any(h == title and r == "evaluated_on" for h, r, _ in rels)


@pytest.mark.model
def test_our_name_is_the_papers_method_and_its_variants_are_introduced(extractor, nlp):
    title = "Scalable Diffusion Models with Transformers"
    text = ("We explore a new class of diffusion models based on the transformer architecture. We analyze the "
            "scalability of our Diffusion Transformers (DiTs) through the lens of forward pass complexity. "
            "Our largest DiT-XL/2 models outperform all prior diffusion models on the ImageNet benchmark.")
    paper, rels = _record(extractor, nlp, title, text)
    assert (title, "introduces", "Diffusion Transformers") in rels
    assert (title, "introduces", "DiT-XL/2") in rels


@pytest.mark.model
def test_our_known_model_is_not_introduced(extractor, nlp):
    title = "Masked Autoencoders Enable Efficient Knowledge Distillers"
    text = ("We distill the knowledge from a pre-trained ViT-L into a ViT-B. With this distillation, our ViT-B "
            "attains 84.0% top-1 accuracy on ImageNet.")
    paper, rels = _record(extractor, nlp, title, text)
    assert not any(r == "introduces" and t == "ViT-B" for _, r, t in rels)


@pytest.mark.model
def test_a_lower_case_title_prefix_the_abstract_repeats_names_the_method(extractor, nlp):
    from kg.extract import EntityTable

    title = "torchdistill: A Modular, Configuration-Driven Framework for Knowledge Distillation"
    text = "We present a framework. Code is available at https://github.com/example/torchdistill ."
    assert extractor.title_name(title, EntityTable(), text) == ("torchdistill", "method")
    assert extractor.title_name(title, EntityTable(), "We present a framework.") == (None, None)
    assert extractor.title_name("beyond: a study of things", EntityTable(), "We go beyond them.") == (None, None)


@pytest.mark.model
def test_an_acronym_defined_for_the_titles_leading_phrase_names_the_method(extractor, nlp):
    title = "Vector-quantized Image Modeling with Improved VQGAN"
    text = ("Motivated by this success, we explore a Vector-quantized Image Modeling (VIM) approach. "
            "When trained on ImageNet, VIM achieves an Inception Score of 175.1.")
    paper, rels = _record(extractor, nlp, title, text)
    assert (title, "introduces", "Vector-quantized Image Modeling") in rels
    assert ("Vector-quantized Image Modeling", "evaluated_on", "ImageNet") in rels or \
        ("Vector-quantized Image Modeling", "trained_on", "ImageNet") in rels


@pytest.mark.model
def test_an_acronym_for_a_phrase_inside_the_title_does_not_name_the_method(extractor, nlp):
    title = "Certified Robustness via Dual Randomized Smoothing"
    text = ("Randomized Smoothing (RS) is a popular defence. We show that our method achieves 80% accuracy "
            "on CIFAR-10.")
    paper, rels = _record(extractor, nlp, title, text)
    assert not any(r == "introduces" for _, r, _ in rels)
    assert (title, "evaluated_on", "CIFAR-10") in rels


@pytest.mark.model
def test_our_finetuned_known_model_is_trained_not_introduced(extractor, nlp):
    title = "Distilling Step-by-Step! Outperforming Larger Language Models"
    text = "We introduce a new mechanism. Our finetuned 770M T5 model outperforms the 540B PaLM model on a benchmark."
    paper, rels = _record(extractor, nlp, title, text)
    assert not any(r == "introduces" and t == "T5" for _, r, t in rels)
    assert ("T5", "outperforms", "PaLM") in rels or (title, "outperforms", "PaLM") in rels


def test_a_name_given_by_namely_before_a_later_acronym_is_the_papers_method(extractor, nlp):
    abstract = ("To solve the issue, we propose a generic self-slimmed learning approach for vanilla ViTs, namely SiT. "
                "Furthermore, we introduce a concise Feature Recalibration Distillation (FRD) framework. "
                "By simply arming LV-ViT with our SiT, we achieve new state-of-the-art performance on ImageNet.")
    rec = extractor.record(nlp(abstract), Paper(title="Self-slimmed Vision Transformer", abstract=abstract, source="t"))
    got = {(r["head"], r["relation"], r["tail"]) for r in rec["relations"]}
    assert ("Self-slimmed Vision Transformer", "introduces", "SiT") in got
    assert ("SiT", "evaluated_on", "ImageNet") in got


@pytest.mark.parametrize("text, tokens", [
    ("we call it SiT. It works", ["SiT", "."]),
    ("we compare with PaLI-X 55B. Next", ["55B", "."]),
    ("in the U.S. and e.g. Ph.D. students", ["U.S.", "e.g.", "Ph.D."]),
])
def test_a_full_stop_after_a_name_ending_in_a_capital_ends_the_sentence(nlp, text, tokens):
    words = [t.text for t in nlp.make_doc(text)]
    assert all(t in words for t in tokens), words


def test_a_known_model_describing_the_new_one_is_not_introduced(extractor, nlp):
    abstract = ("Hence, in this paper, we propose an MPC-friendly ViT, dubbed MPCViT, to enable accurate ViT inference. "
                "MPCViT beats DeiT on ImageNet.")
    rec = extractor.record(nlp(abstract), Paper(title="Private inference", abstract=abstract, source="t"))
    intro = {r["tail"] for r in rec["relations"] if r["relation"] == "introduces"}
    assert "MPCViT" in intro and "ViT" not in intro
