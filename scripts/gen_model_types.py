#!/usr/bin/env python3
"""The registry of Hugging Face model types: src/models/model_types.tsv.

Usage:
  gen_model_types.py c MODEL_TYPES.tsv OUTPUT.c
      Checks the table and writes it as C for src/models/registry.c: one
      array sorted by model_type (strcmp order, for a binary search), reached
      only through ia_model_types_table(), which the output and registry.c
      both declare. The build runs this (CMakeLists.txt).

  gen_model_types.py derive CONFIGURATION_AUTO.py MODELING_AUTO.py \\
                     [--status-from OLD.tsv] [--source TEXT] > MODEL_TYPES.tsv
      Rebuilds the table from transformers' own sources
      (src/transformers/models/auto/configuration_auto.py and
      modeling_auto.py of a checkout), read with the ast module, never
      imported: one row per key of CONFIG_MAPPING_NAMES (config.json's
      model_type), its name from MODEL_NAMES_MAPPING, its family and
      modality by FAMILY_RULES below, and its status from OLD.tsv (a type
      new to the table is unsupported). TEXT goes in the header comment
      (which transformers: version and commit).

The table: '#' lines are comments; then a header line and one line per
type, tab-separated: model_type, name, family, modality, status.

Family rule: a type takes the family of the first rule below whose auto
mappings list it (the most specific first), unless OVERRIDES names it.
Modality follows from the family (text for the four text families), except
that vision types listed for video classification are "video".
Standard library only.
"""
import ast
import os
import sys

FAMILIES = ["audio", "embedding", "multimodal", "reinforcement-learning", "text-classification",
            "text-generation", "text2text-generation", "time-series", "vision"]
MODALITIES = ["audio", "multimodal", "other", "text", "time-series", "video", "vision"]
STATUSES = ["native", "planned", "unsupported"]
COLUMNS = ["model_type", "name", "family", "modality", "status"]

# Auto mappings by what they take and give (names as in modeling_auto.py).
IMAGE_TEXT = ["IMAGE_TEXT_TO_TEXT", "VISION_2_SEQ", "MULTIMODAL_LM", "ZERO_SHOT_IMAGE_CLASSIFICATION",
              "ZERO_SHOT_OBJECT_DETECTION", "VISUAL_QUESTION_ANSWERING",
              "DOCUMENT_QUESTION_ANSWERING", "RETRIEVAL"]
AUDIO = ["SPEECH_SEQ_2_SEQ", "CTC", "AUDIO_CLASSIFICATION", "AUDIO_FRAME_CLASSIFICATION",
         "AUDIO_XVECTOR", "TEXT_TO_SPECTROGRAM", "TEXT_TO_WAVEFORM", "AUDIO_TOKENIZATION"]
VISION = ["IMAGE", "IMAGE_CLASSIFICATION", "MASKED_IMAGE_MODELING", "CAUSAL_IMAGE_MODELING",
          "IMAGE_SEGMENTATION", "SEMANTIC_SEGMENTATION", "INSTANCE_SEGMENTATION",
          "UNIVERSAL_SEGMENTATION", "VIDEO_CLASSIFICATION", "OBJECT_DETECTION",
          "DEPTH_ESTIMATION", "BACKBONE", "MASK_GENERATION", "KEYPOINT_DETECTION",
          "KEYPOINT_MATCHING", "IMAGE_TO_IMAGE"]
TIME_SERIES = ["TIME_SERIES_CLASSIFICATION", "TIME_SERIES_REGRESSION", "TIME_SERIES_PREDICTION"]
SEQ2SEQ = ["SEQ_TO_SEQ_CAUSAL_LM"]
ENCODER = ["MASKED_LM", "TEXT_ENCODING"]
CAUSAL = ["CAUSAL_LM"]
TEXT_HEADS = ["SEQUENCE_CLASSIFICATION", "TOKEN_CLASSIFICATION", "QUESTION_ANSWERING",
              "TABLE_QUESTION_ANSWERING", "MULTIPLE_CHOICE", "NEXT_SENTENCE_PREDICTION"]
TEXT = SEQ2SEQ + ENCODER + CAUSAL + TEXT_HEADS

# First match wins. Multimodal comes first because those types are listed
# under text tasks too (gemma3 is also a causal LM); audio before the text
# families because speech models have text heads (whisper is also a causal
# LM, wav2vec2 a masked LM); seq2seq before the encoders (bart and mbart
# are also masked LMs); encoders before causal LMs because transformers
# offers a decoder head on most encoders (BertLMHeadModel).
FAMILY_RULES = [
    ("multimodal", lambda m: m(IMAGE_TEXT) or (m(VISION) and m(TEXT))),
    ("audio", lambda m: m(AUDIO)),
    ("vision", lambda m: m(VISION)),
    ("time-series", lambda m: m(TIME_SERIES)),
    ("text2text-generation", lambda m: m(SEQ2SEQ)),
    ("embedding", lambda m: m(ENCODER)),
    ("text-generation", lambda m: m(CAUSAL)),
    ("text-classification", lambda m: m(TEXT_HEADS)),
]

# Types the task mappings leave out (only in MODEL_MAPPING, or nowhere) or
# place by a secondary head; each with why.
OVERRIDES = {
    "aimv2": "multimodal",  # CLIP-style image-text encoder
    "audioflamingo3": "multimodal",  # audio-text LM (listed as seq2seq)
    "audioflamingo3_encoder": "audio",
    "autoformer": "time-series",
    "blip_2_qformer": "multimodal",  # BLIP-2's image-text querying transformer
    "bridgetower": "multimodal",
    "chinese_clip_vision_model": "vision",
    "clap": "multimodal",  # audio-text CLIP
    "clip_vision_model": "vision",
    "clvp": "audio",  # text to speech
    "colqwen2": "multimodal",  # document image retrieval
    "decision_transformer": "reinforcement-learning",
    "dpr": "embedding",  # BERT retrieval encoders
    "edgetam_vision_model": "vision",
    "encodec": "audio",
    "flava": "multimodal",
    "gemma3n_audio": "audio",
    "gemma3n_vision": "vision",
    "glm4v_moe_text": "text-generation",  # the text decoders of VLMs
    "glm4v_moe_vision": "vision",
    "glm4v_text": "text-generation",
    "glm4v_vision": "vision",
    "granitevision": "multimodal",  # a LLaVA-NeXT config
    "groupvit": "multimodal",
    "idefics3_vision": "vision",
    "informer": "time-series",
    "internvl_vision": "vision",
    "layoutxlm": "multimodal",  # LayoutLMv2 for many languages: documents
    "lxmert": "multimodal",  # vision-language (listed for QA)
    "mgp-str": "vision",  # scene text recognition
    "mimi": "audio",
    "moshi": "multimodal",  # speech-text (listed as a causal LM)
    "nougat": "multimodal",  # a vision encoder-decoder
    "parakeet_encoder": "audio",
    "qwen2_5_vl_text": "text-generation",
    "qwen2_audio_encoder": "audio",
    "qwen2_vl_text": "text-generation",
    "qwen3_vl_moe_text": "text-generation",
    "qwen3_vl_text": "text-generation",
    "rag": "text2text-generation",  # retriever + seq2seq generator
    "sam2_hiera_det_model": "vision",
    "sam2_vision_model": "vision",
    "sam3": "vision",
    "sam3_tracker_video": "vision",
    "sam3_vision_model": "vision",
    "sam3_vit_model": "vision",
    "sam_hq_vision_model": "vision",
    "sam_vision_model": "vision",
    "seggpt": "vision",
    "siglip2_vision_model": "vision",
    "smolvlm_vision": "vision",
    "time_series_transformer": "time-series",
    "tvp": "multimodal",  # video-text grounding
    "univnet": "audio",  # vocoder
    "video_llama_3_vision": "vision",
    "vision-text-dual-encoder": "multimodal",
    "visual_bert": "multimodal",
    "vitmatte": "vision",
    "vitpose": "vision",
    "voxtral_encoder": "audio",
    "xclip": "multimodal",  # video-text CLIP
    "xcodec": "audio",
}

FAMILY_MODALITY = {
    "audio": "audio", "embedding": "text", "multimodal": "multimodal",
    "reinforcement-learning": "other", "text-classification": "text",
    "text-generation": "text", "text2text-generation": "text",
    "time-series": "time-series", "vision": "vision",
}


def fail(msg):
    sys.exit("gen_model_types.py: " + msg)


# ------------------------------------------------------------------ the table

def read_tsv(path):
    """Returns [(line number, row dict)], checked column by column."""
    rows, header = [], None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                if cols != COLUMNS:
                    fail(f"{path}:{n}: the header must be {' '.join(COLUMNS)} (tab-separated)")
                header = cols
                continue
            if len(cols) != len(COLUMNS):
                fail(f"{path}:{n}: {len(cols)} columns, expected {len(COLUMNS)}")
            row = dict(zip(COLUMNS, cols))
            t = row["model_type"]
            if not t or any(not (c.isascii() and (c.isalnum() or c in "_-.")) for c in t):
                fail(f"{path}:{n}: model_type '{t}' is not a transformers model type")
            if not row["name"].strip():
                fail(f"{path}:{n}: {t} has no name")
            for col, allowed in (("family", FAMILIES), ("modality", MODALITIES),
                                 ("status", STATUSES)):
                if row[col] not in allowed:
                    fail(f"{path}:{n}: {t}: {col} '{row[col]}' is not one of {', '.join(allowed)}")
            rows.append((n, row))
    if header is None:
        fail(f"{path}: no header line")
    seen = {}
    for n, row in rows:
        if row["model_type"] in seen:
            fail(f"{path}:{n}: {row['model_type']} is listed twice (also line {seen[row['model_type']]})")
        seen[row["model_type"]] = n
    return rows


def c_string(s):
    out = ['"']
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append("\\%03o" % b)  # octal: never swallows a following hex digit
    out.append('"')
    return "".join(out)


def write_c(tsv, out_path):
    rows = [row for _, row in read_tsv(tsv)]
    # strcmp order is byte order, which sorting the UTF-8 bytes gives.
    rows.sort(key=lambda r: r["model_type"].encode("utf-8"))
    if not any(r["status"] == "native" for r in rows):
        fail(f"{tsv}: no native type")
    enum = {"native": "IA_MODEL_NATIVE", "planned": "IA_MODEL_PLANNED",
            "unsupported": "IA_MODEL_UNSUPPORTED"}
    lines = [
        f"/* Generated by scripts/gen_model_types.py from {os.path.basename(tsv)}: do not edit. */",
        "#include <stddef.h>",
        "",
        '#include "ipfs_accelerate/models.h"',
        "",
        "const ia_model_type_info *ia_model_types_table(size_t *count);",
        "",
        f"static const ia_model_type_info model_types[{len(rows)}] = {{",
    ]
    for r in rows:
        lines.append("    {%s, %s, %s, %s, %s}," % (
            c_string(r["model_type"]), c_string(r["name"]), c_string(r["family"]),
            c_string(r["modality"]), enum[r["status"]]))
    lines += [
        "};",
        "",
        "const ia_model_type_info *ia_model_types_table(size_t *count)",
        "{",
        "    *count = sizeof model_types / sizeof model_types[0];",
        "    return model_types;",
        "}",
        "",
    ]
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    os.replace(tmp, out_path)


# ------------------------------------------------------- transformers' sources

def read_mappings(path):
    """Every module-level NAME = OrderedDict([(key, value), ...]) of a file,
    as NAME -> [keys]; a *list(OTHER.items()) entry brings OTHER's keys."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    found = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call)
                and node.value.args and isinstance(node.value.args[0], ast.List)):
            continue
        func = node.value.func
        if isinstance(func, ast.Subscript):  # OrderedDict[str, str](...)
            func = func.value
        if not (isinstance(func, ast.Name) and func.id == "OrderedDict"):
            continue
        pairs = []
        for elt in node.value.args[0].elts:
            if isinstance(elt, ast.Tuple) and len(elt.elts) == 2 \
                    and isinstance(elt.elts[0], ast.Constant):
                value = elt.elts[1].value if isinstance(elt.elts[1], ast.Constant) else None
                pairs.append((elt.elts[0].value, value))
            elif isinstance(elt, ast.Starred):
                src = elt.value  # list(OTHER.items())
                try:
                    other = src.args[0].func.value.id
                except AttributeError:
                    fail(f"{path}:{elt.lineno}: an entry of {node.targets[0].id} is not understood")
                if other not in found:
                    fail(f"{path}:{elt.lineno}: {other} is used before it is defined")
                pairs += found[other]
            else:
                fail(f"{path}:{elt.lineno}: an entry of {node.targets[0].id} is not understood")
        found[node.targets[0].id] = pairs
    return found


def task_name(mapping):
    """MODEL_FOR_CAUSAL_LM_MAPPING_NAMES -> CAUSAL_LM."""
    name = mapping
    for prefix in ("MODEL_FOR_",):
        if name.startswith(prefix):
            name = name[len(prefix):]
    for suffix in ("_MAPPING_NAMES", "_NAMES"):
        if name.endswith(suffix):
            return name[:-len(suffix)]
    return name


def derive(config_py, modeling_py, status_from, source):
    cfg = read_mappings(config_py)
    for need in ("CONFIG_MAPPING_NAMES", "MODEL_NAMES_MAPPING"):
        if need not in cfg:
            fail(f"{config_py}: no {need}")
    types = [k for k, _ in cfg["CONFIG_MAPPING_NAMES"]]
    names = dict(cfg["MODEL_NAMES_MAPPING"])
    tasks = {}
    for mapping, pairs in read_mappings(modeling_py).items():
        if mapping.startswith("MODEL_FOR_"):
            tasks[task_name(mapping)] = {k for k, _ in pairs}
    known = set(IMAGE_TEXT + AUDIO + VISION + TIME_SERIES + TEXT)
    missing = sorted(known - set(tasks))
    if missing:
        fail(f"{modeling_py}: no mapping for {', '.join(missing)} (renamed? update the rules)")
    # A new task mapping must be placed in a rule, or it would go unseen.
    unplaced = sorted(set(tasks) - known - {"PRETRAINING"})
    if unplaced:
        fail(f"{modeling_py}: mappings not in any rule: {', '.join(unplaced)}")
    stale = sorted(set(OVERRIDES) - set(types))
    if stale:
        fail(f"OVERRIDES name types transformers no longer has: {', '.join(stale)}")
    status = {}
    if status_from:
        status = {r["model_type"]: r["status"] for _, r in read_tsv(status_from)}

    rows, unplaced_types = [], []
    for t in types:
        def listed(group, t=t):
            return any(t in tasks[g] for g in group)
        family = OVERRIDES.get(t)
        if family is None:
            family = next((f for f, rule in FAMILY_RULES if rule(listed)), None)
        if family is None:
            unplaced_types.append(t)
            continue
        modality = FAMILY_MODALITY[family]
        if family == "vision" and t in tasks["VIDEO_CLASSIFICATION"]:
            modality = "video"
        if t not in names:
            fail(f"{config_py}: {t} is not in MODEL_NAMES_MAPPING")
        rows.append([t, names[t], family, modality, status.get(t, "unsupported")])
    if unplaced_types:
        fail("no family for " + ", ".join(unplaced_types) + ": add them to OVERRIDES")
    rows.sort(key=lambda r: r[0].encode("utf-8"))
    out = sys.stdout
    out.write("# Hugging Face model types: one row per key of transformers'\n"
              "# CONFIG_MAPPING_NAMES (models/auto/configuration_auto.py), the model_type\n"
              "# a config.json names.\n")
    if source:
        out.write(f"# Source: {source}.\n")
    out.write("# name: transformers' MODEL_NAMES_MAPPING. family, modality: from the auto\n"
              "# mappings of models/auto/modeling_auto.py that list the type, by the rule\n"
              "# in scripts/gen_model_types.py (docs/models.md). status: ours, kept across\n"
              "# regenerations: native (our engine runs it), planned, unsupported.\n"
              "# Regenerate: scripts/gen_model_types.py derive CONFIGURATION_AUTO.py\n"
              "#   MODELING_AUTO.py --status-from src/models/model_types.tsv --source TEXT\n"
              "# The build turns this file into C (scripts/gen_model_types.py c).\n")
    out.write("\t".join(COLUMNS) + "\n")
    for r in rows:
        out.write("\t".join(r) + "\n")


def main(argv):
    if len(argv) == 4 and argv[1] == "c":
        write_c(argv[2], argv[3])
        return
    if len(argv) >= 4 and argv[1] == "derive":
        rest, status_from, source = argv[4:], None, None
        while rest:
            if rest[0] == "--status-from" and len(rest) > 1:
                status_from, rest = rest[1], rest[2:]
            elif rest[0] == "--source" and len(rest) > 1:
                source, rest = rest[1], rest[2:]
            else:
                fail(f"unknown argument '{rest[0]}'")
        derive(argv[2], argv[3], status_from, source)
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
