"""kg.relations rule functions on hand-built Docs."""
from kg.clauses import (beats_compared_set, clause_says_who_wins, comparison_way, conjuncts, has_comparative,
                        hyphen_prefixed, is_negated, preceding_list, refers_to_self, speaks_of_prior_work, subject_of)
from kg.scope import named_as_training_data, not_evaluated_on

from handbuilt import make


def test_subject_of_climbs_through_participle():
    # "HorNet , surpassing ConvNeXt ." : surpassing (advcl) -> achieves? here: acl on HorNet
    doc = make(["HorNet", "achieves", "gains", ",", "surpassing", "ConvNeXt"],
               [1, 1, 1, 1, 1, 4], ["nsubj", "ROOT", "dobj", "punct", "advcl", "dobj"],
               ents=[(0, "method"), (5, "method")])
    assert subject_of(doc[4]).text == "HorNet"


def test_subject_of_participle_on_entity():
    # "ResNet-50 pretrained on ImageNet"
    doc = make(["ResNet-50", "pretrained", "on", "ImageNet"], [0, 0, 1, 2], ["ROOT", "acl", "prep", "pobj"],
               ents=[(0, "method"), (3, "dataset")])
    assert subject_of(doc[1]).text == "ResNet-50"


def test_conjuncts_distribute():
    # "outperforms A , B and C"
    doc = make(["X", "outperforms", "A", ",", "B", "and", "C"], [1, 1, 1, 2, 2, 4, 4],
               ["nsubj", "ROOT", "dobj", "punct", "conj", "cc", "conj"],
               ents=[(0, "method"), (2, "method"), (4, "method"), (6, "method")])
    assert [t.text for t in conjuncts(doc[2], "method")] == ["A", "B", "C"]


def test_preceding_list_reads_a_list_back():
    # "on A , B , and C models": the parse hangs the list anywhere; the words say it
    doc = make(["on", "A", ",", "B", ",", "and", "C", "models"], [0, 0, 1, 1, 3, 7, 7, 0],
               ["ROOT", "pobj", "punct", "appos", "punct", "cc", "nmod", "pobj"],
               ents=[(1, "method"), (3, "method"), (6, "method")])
    assert [t.text for t in preceding_list(doc[6])] == ["A", "B", "C"]
    doc = make(["on", "the", "C", "models"], [0, 3, 3, 0], ["ROOT", "det", "nmod", "pobj"], ents=[(2, "method")])
    assert [t.text for t in preceding_list(doc[2])] == ["C"]


def test_negation_blocks():
    doc = make(["X", "does", "not", "outperform", "Y"], [3, 3, 3, 3, 3], ["nsubj", "aux", "neg", "ROOT", "dobj"])
    assert is_negated(doc[3])
    doc = make(["X", "fails", "to", "surpass", "Y"], [1, 1, 3, 1, 3], ["nsubj", "ROOT", "aux", "xcomp", "dobj"])
    assert is_negated(doc[3])
    doc = make(["X", "outperforms", "Y"], [1, 1, 1], ["nsubj", "ROOT", "dobj"])
    assert not is_negated(doc[1])
    # "... without finetuning on D": the data word hangs from "without"
    doc = make(["X", "works", "without", "finetuning", "on", "D"], [1, 1, 1, 2, 3, 4],
               ["nsubj", "ROOT", "prep", "pobj", "prep", "pobj"])
    assert is_negated(doc[3])


def test_self_reference():
    doc = make(["our", "method", "wins"], [1, 2, 2], ["poss", "nsubj", "ROOT"])
    assert refers_to_self(doc[1])
    doc = make(["the", "method", "wins"], [1, 2, 2], ["det", "nsubj", "ROOT"])
    assert not refers_to_self(doc[1])
    doc = make(["we", "win"], [1, 1], ["nsubj", "ROOT"])
    assert refers_to_self(doc[0])


def test_hyphen_prefix_retargets():
    doc = make(["ViT", "is", "pre", "-", "trained", "on", "X"], [4, 4, 4, 4, 4, 4, 5],
               ["nsubjpass", "auxpass", "amod", "punct", "ROOT", "prep", "pobj"])
    assert hyphen_prefixed(doc[4], "trained_on") == "pretrained_on"
    doc = make(["fine", "-", "tuned", "on", "X"], [2, 2, 2, 2, 3], ["amod", "punct", "ROOT", "prep", "pobj"])
    assert hyphen_prefixed(doc[2], "trained_on") == "fine_tuned_on"


def test_comparative_is_word_level():
    assert has_comparative(make(["more", "accurate", "than", "Y"], [1, 1, 1, 2], ["advmod", "ROOT", "prep", "pobj"]))
    assert not has_comparative(make(["benchmarked", "against", "Y"], [0, 0, 1], ["ROOT", "prep", "pobj"]))


def test_prior_work_sentences():
    # "Previous methods achieve 80% ." : a background word in the subject
    doc = make(["Previous", "methods", "achieve", "80", "%", "."], [1, 2, 2, 4, 2, 2],
               ["amod", "nsubj", "ROOT", "nummod", "dobj", "punct"])
    assert speaks_of_prior_work(doc[:])
    # "CLIP has shown 76 % on ImageNet ." : present perfect, a named subject
    doc = make(["CLIP", "has", "shown", "76", "%", "on", "ImageNet", "."], [2, 2, 2, 4, 2, 2, 5, 2],
               ["nsubj", "aux", "ROOT", "nummod", "dobj", "prep", "pobj", "punct"], ents=[(0, "method"), (6, "dataset")])
    assert speaks_of_prior_work(doc[:])
    # "We have shown that ..." and "Unlike previous methods , our model wins ." are claims
    doc = make(["We", "have", "shown", "gains", "."], [2, 2, 2, 2, 2], ["nsubj", "aux", "ROOT", "dobj", "punct"])
    assert not speaks_of_prior_work(doc[:])
    doc = make(["Unlike", "previous", "methods", ",", "our", "model", "wins", "."], [6, 2, 0, 6, 5, 6, 6, 6],
               ["prep", "amod", "pobj", "punct", "poss", "nsubj", "ROOT", "punct"])
    assert not speaks_of_prior_work(doc[:])


def test_comparison_way_reads_the_measured_noun():
    def way(words, heads, deps):
        doc = make(words, heads, deps)
        return comparison_way(next(t for t in doc if t.text == "than"))
    base = (["X", "has", "lower", "accuracy", "than", "Y"], [1, 1, 3, 1, 3, 4], ["nsubj", "ROOT", "amod", "dobj", "prep", "pobj"])
    assert way(*base) == "less"  # Y wins
    assert way(["X", "has", "lower", "error", "than", "Y"], *base[1:]) == "more"
    assert way(["X", "has", "fewer", "parameters", "than", "Y"], *base[1:]) == "costs"
    assert way(["X", "has", "higher", "accuracy", "than", "Y"], *base[1:]) == "more"
    assert way(["X", "has", "more", "parameters", "than", "Y"], *base[1:]) == "costs"
    assert way(["X", "has", "larger", "gains", "than", "Y"], *base[1:]) == "more"
    # "X is 3x larger than Y", "a batch 2x more than Y": a size with nothing measured is a cost
    bare = ([1, 1, 1, 2, 3, 4], ["nsubj", "ROOT", "attr", "amod", "prep", "pobj"])
    assert way(["X", "is", "3x", "larger", "than", "Y"], *bare) == "costs"
    assert way(["X", "is", "2x", "more", "than", "Y"], *bare) == "costs"
    # "X is 3.75x larger in parameters than Y"
    assert way(["X", "is", "larger", "in", "parameters", "than", "Y"], [1, 1, 1, 2, 3, 2, 5],
               ["nsubj", "ROOT", "acomp", "prep", "pobj", "prep", "pobj"]) == "costs"


def test_subject_of_skips_a_number():
    # "X , which is 2x faster compared to B": "2x" is a misparsed measure, not the subject
    doc = make(["X", "is", "2x", "faster", "compared", "to", "B"], [1, 1, 4, 4, 1, 4, 5],
               ["nsubj", "ROOT", "nsubj", "advmod", "prep", "prep", "pobj"], ents=[(0, "method"), (6, "method")])
    assert subject_of(doc[4]).text == "X"


def test_beats_compared_set():
    doc = make(["X", "outperforms", "all", "compared", "methods"], [1, 1, 3, 4, 1], ["nsubj", "ROOT", "advmod", "amod", "dobj"])
    assert beats_compared_set(doc[:])
    doc = make(["X", "does", "not", "outperform", "the", "compared", "methods"], [3, 3, 3, 3, 6, 6, 3],
               ["nsubj", "aux", "neg", "ROOT", "det", "amod", "dobj"])
    assert not beats_compared_set(doc[:])
    doc = make(["X", "is", "compared", "with", "Y"], [2, 2, 2, 2, 3], ["nsubjpass", "auxpass", "ROOT", "prep", "pobj"])
    assert not beats_compared_set(doc[:])


def test_comparison_upgrade_stays_in_its_clause():
    # "X runs faster than A and shows a trade-off compared to B": the win is A's clause, not B's
    words = ["X", "runs", "faster", "than", "A", "and", "shows", "trade-off", "compared", "to", "B"]
    heads = [1, 1, 1, 2, 3, 1, 1, 6, 7, 8, 9]
    deps = ["nsubj", "ROOT", "advmod", "prep", "pobj", "cc", "conj", "dobj", "acl", "prep", "pobj"]
    tags = ["NNP", "VBZ", "RBR", "IN", "NNP", "CC", "VBZ", "NN", "VBN", "IN", "NNP"]
    doc = make(words, heads, deps, tags=tags)
    assert not clause_says_who_wins(doc[8])
    # "X is more accurate while reducing latency compared to B": the subordinate clause's governor counts
    words = ["X", "is", "more", "accurate", "while", "reducing", "latency", "compared", "to", "B"]
    heads = [1, 1, 3, 1, 5, 1, 5, 5, 7, 8]
    deps = ["nsubj", "ROOT", "advmod", "acomp", "mark", "advcl", "dobj", "advcl", "prep", "pobj"]
    tags = ["NNP", "VBZ", "RBR", "JJ", "IN", "VBG", "NN", "VBN", "IN", "NNP"]
    assert clause_says_who_wins(make(words, heads, deps, tags=tags)[7])


def test_value_is_read_beside_its_dataset():
    from kg.extras import nearest_value

    doc = make(["97.7", "%", "on", "CIFAR-10", "and", "74.6", "%", "on", "ImageNet"], [0] * 9, ["ROOT"] + ["dep"] * 8,
               ents=[(3, "dataset"), (8, "dataset")])
    assert nearest_value(doc[:], doc[3]) == "97.7%"
    assert nearest_value(doc[:], doc[8]) == "74.6%"


def test_prior_work_by_other_peoples_work():
    # "These works present results on CIFAR-10 ." and its misparse with "works" as the verb
    doc = make(["These", "works", "present", "results", "on", "CIFAR-10", "."], [1, 2, 2, 2, 3, 4, 2],
               ["det", "nsubj", "ROOT", "dobj", "prep", "pobj", "punct"], ents=[(5, "dataset")])
    assert speaks_of_prior_work(doc[:])
    doc = make(["these", "works", "present", "results", "."], [1, 1, 3, 1, 1], ["nsubj", "ROOT", "amod", "dobj", "punct"])
    assert speaks_of_prior_work(doc[:])
    doc = make(["Our", "methods", "present", "results", "."], [1, 2, 2, 2, 2], ["poss", "nsubj", "ROOT", "dobj", "punct"])
    assert not speaks_of_prior_work(doc[:])


def test_training_data_is_not_evaluated_on():
    # "experiments of pre-training models on D": the noun "on D" hangs from is a pre-trained thing
    doc = make(["experiments", "of", "pre-training", "models", "on", "D"], [0, 0, 3, 1, 3, 4],
               ["ROOT", "prep", "amod", "pobj", "prep", "pobj"], ents=[(5, "dataset")])
    assert named_as_training_data(doc[5])
    # "D pretrained backbones", however parsed
    doc = make(["beat", "D", "pretrained", "backbones"], [0, 0, 0, 2], ["ROOT", "dobj", "conj", "dobj"], ents=[(1, "dataset")])
    assert named_as_training_data(doc[1])
    # "a training dataset of pairs from D"
    doc = make(["a", "training", "dataset", "of", "pairs", "from", "D"], [2, 2, 2, 2, 3, 4, 5],
               ["det", "compound", "ROOT", "prep", "pobj", "prep", "pobj"], ents=[(6, "dataset")])
    assert named_as_training_data(doc[6])
    # "results on the test set of D" is an evaluation
    doc = make(["results", "on", "the", "test", "set", "of", "D"], [0, 0, 4, 4, 1, 4, 5],
               ["ROOT", "prep", "det", "compound", "pobj", "prep", "pobj"], ents=[(6, "dataset")])
    assert not named_as_training_data(doc[6])


def test_datasets_a_sentence_does_not_evaluate_on():
    # "we create a new dataset , D ."
    doc = make(["we", "create", "a", "new", "dataset", ",", "D", "."], [1, 1, 4, 4, 1, 4, 4, 1],
               ["nsubj", "ROOT", "det", "amod", "dobj", "punct", "appos", "punct"], ents=[(6, "dataset")])
    assert not_evaluated_on(doc[6], doc[0])
    # "Point clouds in D contain gaps ."
    doc = make(["Point", "clouds", "in", "D", "contain", "gaps", "."], [1, 4, 1, 2, 4, 4, 4],
               ["compound", "nsubj", "prep", "pobj", "ROOT", "dobj", "punct"], ents=[(3, "dataset")])
    assert not_evaluated_on(doc[3], doc[1])
    # "Experiments on D show gains ." is an evaluation
    doc = make(["Experiments", "on", "D", "show", "gains", "."], [3, 0, 1, 3, 3, 3],
               ["nsubj", "prep", "pobj", "ROOT", "dobj", "punct"], ents=[(2, "dataset")])
    assert not not_evaluated_on(doc[2], doc[0])
    # "C is a D classification network ." : D only says which network
    doc = make(["C", "is", "a", "D", "classification", "network", "."], [1, 1, 5, 5, 5, 1, 1],
               ["nsubj", "ROOT", "det", "compound", "compound", "attr", "punct"], ents=[(3, "dataset")])
    assert not_evaluated_on(doc[3], doc[0])
    # "X reaches 80 % D classification accuracy ." is an evaluation
    doc = make(["X", "reaches", "80", "%", "D", "classification", "accuracy", "."], [1, 1, 3, 6, 6, 6, 1, 1],
               ["nsubj", "ROOT", "nummod", "nmod", "compound", "compound", "dobj", "punct"],
               ents=[(0, "method"), (4, "dataset")])
    assert not not_evaluated_on(doc[4], doc[0])
    # "X has difficulty scaling to D ."
    doc = make(["X", "has", "difficulty", "scaling", "to", "D", "."], [1, 1, 1, 2, 3, 4, 1],
               ["nsubj", "ROOT", "dobj", "acl", "prep", "pobj", "punct"], ents=[(0, "method"), (5, "dataset")])
    assert not_evaluated_on(doc[5], doc[0])
    # "we propose a dataset , termed D ."
    doc = make(["we", "propose", "a", "dataset", ",", "termed", "D", "."], [1, 1, 3, 1, 3, 3, 5, 1],
               ["nsubj", "ROOT", "det", "dobj", "punct", "acl", "oprd", "punct"], ents=[(6, "dataset")])
    assert not_evaluated_on(doc[6], doc[0])
    # "X keeps accuracy without degradation on D ." : measured on D
    doc = make(["X", "keeps", "accuracy", "without", "degradation", "on", "D", "."], [1, 1, 1, 1, 3, 4, 5, 1],
               ["nsubj", "ROOT", "dobj", "prep", "pobj", "prep", "pobj", "punct"], ents=[(0, "method"), (6, "dataset")])
    assert not not_evaluated_on(doc[6], doc[0])
    # "X achieves 80 % on D ."
    doc = make(["X", "achieves", "80", "%", "on", "D", "."], [1, 1, 3, 1, 1, 4, 1],
               ["nsubj", "ROOT", "nummod", "dobj", "prep", "pobj", "punct"], ents=[(0, "method"), (5, "dataset")])
    assert not not_evaluated_on(doc[5], doc[0])


def test_authors_evaluating_other_peoples_models():
    from kg.heads import others_evaluated

    # "we evaluate 9 existing detectors on D": not the paper's method
    doc = make(["we", "evaluate", "9", "existing", "detectors", "on", "D"], [1, 1, 4, 4, 1, 4, 5],
               ["nsubj", "ROOT", "nummod", "amod", "dobj", "prep", "pobj"], ents=[(6, "dataset")])
    assert others_evaluated(doc[0], {6: ["D"]})
    # "we evaluate our models on D", "we explore methods , demonstrating results on D"
    doc = make(["we", "evaluate", "our", "models", "on", "D"], [1, 1, 3, 1, 3, 4],
               ["nsubj", "ROOT", "poss", "dobj", "prep", "pobj"], ents=[(5, "dataset")])
    assert not others_evaluated(doc[0], {5: ["D"]})
    doc = make(["we", "explore", "methods", "on", "D"], [1, 1, 1, 2, 3], ["nsubj", "ROOT", "dobj", "prep", "pobj"],
               ents=[(4, "dataset")])
    assert not others_evaluated(doc[0], {4: ["D"]})
