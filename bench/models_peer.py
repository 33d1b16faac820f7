#!/usr/bin/env python3
"""PyTorch peer of bench_models: BERT-base and GPT-2 written out in plain
torch (no transformers: Debian's python3-torch 1.13 has none), following
Hugging Face's modeling code, on the safetensors weights the bench made.

Inputs come from a safetensors file the bench writes (bert_ids_b<B> [B, S]
and gpt2_prompt [1, S], I64); outputs go to --out as safetensors
(bert_b<B>: last_hidden_state of that batch, gpt2_ids: the prompt and the
greedy tokens), so the bench compares them with its own. Timings are JSON
lines on stdout:

  {"info": ...}                                   versions and settings
  {"case": "bert", "batch": B, "median_s": t, "runs": n}
  {"case": "gpt2", "prefill_s": t, "decode_tok_s": r, "runs": n}

Method, as the bench's: BERT, one warm-up forward then forwards until
--min-time seconds and at least 3 have passed, median; GPT-2, one warm-up
generation then --runs generations of --new tokens, each timed per token:
prefill = time to the first token, decode = tokens 2..N over their time,
medians of the runs.

Threads: torch.set_num_threads(--torch-threads); OpenBLAS (which runs
torch's GEMMs here) takes OPENBLAS_NUM_THREADS from the environment, set by
the bench before this process starts, with OMP_WAIT_POLICY=PASSIVE (torch's
OpenMP workers would otherwise spin between ops and starve OpenBLAS's).
"""
import argparse
import ctypes
import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32,
          "F64": np.float64, "BOOL": np.bool_}
NAMES = {np.dtype(v): k for k, v in DTYPES.items()}


def read_safetensors(path):
    """name -> torch tensor (a copy of the file's bytes, writable)."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        if e["dtype"] == "BF16":
            raw = np.frombuffer(data, np.int16, (e["data_offsets"][1] - e["data_offsets"][0]) // 2,
                                base + e["data_offsets"][0])
            t = torch.from_numpy(raw.copy()).view(torch.bfloat16).float()
        else:
            dt = np.dtype(DTYPES[e["dtype"]])
            count = (e["data_offsets"][1] - e["data_offsets"][0]) // dt.itemsize
            t = torch.from_numpy(np.frombuffer(data, dt, count, base + e["data_offsets"][0]))
        out[name] = t.reshape(e["shape"])
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().cpu().numpy())
        b = a.tobytes()
        header[name] = {"dtype": NAMES[a.dtype], "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def strip_prefix(w, prefix):
    return {k[len(prefix):] if k.startswith(prefix) else k: v for k, v in w.items()}


def load_config(folder):
    with open(folder + "/config.json") as f:
        return json.load(f)


# ---------------------------------------------------------------- BERT

class Bert:
    """BertModel's forward (eager attention, as transformers runs it on
    torch 1.13, which has no scaled_dot_product_attention)."""

    def __init__(self, folder):
        c = load_config(folder)
        self.H = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.D = self.H // self.heads
        self.L = c["num_hidden_layers"]
        self.eps = c.get("layer_norm_eps", 1e-12)
        act = c.get("hidden_act", "gelu")
        self.act = {"gelu": F.gelu, "relu": F.relu,
                    "gelu_new": lambda x: F.gelu(x, approximate="tanh")}[act]
        w = strip_prefix(read_safetensors(folder + "/model.safetensors"), "bert.")
        self.w = w
        self.tt = w.get("embeddings.token_type_embeddings.weight")

    def lin(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w.get(name + ".bias"))

    def ln(self, x, name):
        return F.layer_norm(x, (self.H,), self.w[name + ".weight"], self.w[name + ".bias"],
                            self.eps)

    def forward(self, ids, mask):
        B, S = ids.shape
        w = self.w
        x = F.embedding(ids, w["embeddings.word_embeddings.weight"])
        x = x + w["embeddings.position_embeddings.weight"][:S]
        if self.tt is not None:  # token type 0 everywhere
            x = x + self.tt[0]
        x = self.ln(x, "embeddings.LayerNorm")
        ext = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        scale = 1.0 / math.sqrt(self.D)
        for i in range(self.L):
            p = "encoder.layer.%d." % i

            def heads(t):
                return t.view(B, S, self.heads, self.D).permute(0, 2, 1, 3)
            q = heads(self.lin(x, p + "attention.self.query"))
            k = heads(self.lin(x, p + "attention.self.key"))
            v = heads(self.lin(x, p + "attention.self.value"))
            s = torch.matmul(q, k.transpose(-1, -2)) * scale + ext
            ctx = torch.matmul(torch.softmax(s, -1), v).permute(0, 2, 1, 3).reshape(B, S, self.H)
            h = self.ln(self.lin(ctx, p + "attention.output.dense") + x,
                        p + "attention.output.LayerNorm")
            inter = self.act(self.lin(h, p + "intermediate.dense"))
            x = self.ln(self.lin(inter, p + "output.dense") + h, p + "output.LayerNorm")
        return x


# ---------------------------------------------------------------- GPT-2

class Gpt2:
    """GPT2LMHeadModel's forward with a KV cache written by hand: one
    preallocated [B, heads, T, D] buffer per layer, filled in place (cheaper
    than transformers' torch.cat per step), logits of the last position
    only, argmax for greedy."""

    def __init__(self, folder):
        c = load_config(folder)
        self.E = c["n_embd"]
        self.heads = c["n_head"]
        self.D = self.E // self.heads
        self.L = c["n_layer"]
        self.eps = c.get("layer_norm_epsilon", 1e-5)
        w = strip_prefix(read_safetensors(folder + "/model.safetensors"), "transformer.")
        self.w = w
        self.lm_head = w.get("lm_head.weight", w["wte.weight"])
        self.layers = []
        for i in range(self.L):
            p = "h.%d." % i
            self.layers.append({k: w[p + k] for k in (
                "ln_1.weight", "ln_1.bias", "ln_2.weight", "ln_2.bias", "attn.c_attn.weight",
                "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias", "mlp.c_fc.weight",
                "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias")})

    @staticmethod
    def conv1d(x, w, b):  # transformers' Conv1D: x @ w + b, w [in, out]
        shape = x.shape[:-1] + (w.shape[1],)
        return torch.addmm(b, x.reshape(-1, x.shape[-1]), w).view(shape)

    def step(self, ids, past, kc, vc):
        """ids [B, S] at positions past..past+S; returns the last logits."""
        B, S = ids.shape
        E, Hh, D = self.E, self.heads, self.D
        x = F.embedding(ids, self.w["wte.weight"]) + self.w["wpe.weight"][past:past + S]
        scale = 1.0 / math.sqrt(D)
        causal = None
        if S > 1:
            causal = torch.ones(S, past + S, dtype=torch.bool).triu(past + 1)
        for i, y in enumerate(self.layers):
            h = F.layer_norm(x, (E,), y["ln_1.weight"], y["ln_1.bias"], self.eps)
            qkv = self.conv1d(h, y["attn.c_attn.weight"], y["attn.c_attn.bias"])
            q, k, v = qkv.split(E, dim=2)
            q = q.view(B, S, Hh, D).transpose(1, 2)
            kc[i][:, :, past:past + S] = k.view(B, S, Hh, D).transpose(1, 2)
            vc[i][:, :, past:past + S] = v.view(B, S, Hh, D).transpose(1, 2)
            K = kc[i][:, :, :past + S]
            V = vc[i][:, :, :past + S]
            s = torch.matmul(q, K.transpose(-1, -2)) * scale
            if causal is not None:
                s = s.masked_fill(causal, torch.finfo(s.dtype).min)
            a = torch.matmul(torch.softmax(s, -1), V).transpose(1, 2).reshape(B, S, E)
            x = x + self.conv1d(a, y["attn.c_proj.weight"], y["attn.c_proj.bias"])
            h = F.layer_norm(x, (E,), y["ln_2.weight"], y["ln_2.bias"], self.eps)
            h = F.gelu(self.conv1d(h, y["mlp.c_fc.weight"], y["mlp.c_fc.bias"]),
                       approximate="tanh")
            x = x + self.conv1d(h, y["mlp.c_proj.weight"], y["mlp.c_proj.bias"])
        last = F.layer_norm(x[:, -1], (E,), self.w["ln_f.weight"], self.w["ln_f.bias"], self.eps)
        return F.linear(last, self.lm_head)

    def generate(self, prompt, new):
        """Greedy; returns (ids [B, S + new], per-token timestamps from the start)."""
        B, S = prompt.shape
        T = S + new
        kc = [torch.empty(B, self.heads, T, self.D) for _ in range(self.L)]
        vc = [torch.empty(B, self.heads, T, self.D) for _ in range(self.L)]
        out = torch.empty(B, T, dtype=torch.int64)
        out[:, :S] = prompt
        stamps = []
        t0 = time.perf_counter()
        logits = self.step(prompt, 0, kc, vc)
        for j in range(new):
            tok = torch.argmax(logits, -1)
            out[:, S + j] = tok
            stamps.append(time.perf_counter() - t0)
            if j + 1 < new:
                logits = self.step(tok[:, None], S + j, kc, vc)
        return out, stamps


def median(v):
    v = sorted(v)
    return v[len(v) // 2]


def blas_info():
    """OpenBLAS's kernel and threads, from the library torch loaded."""
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({ln.split()[-1] for ln in f if "openblas" in ln and ".so" in ln})
        for p in libs:
            lib = ctypes.CDLL(p)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return "OpenBLAS %s, %d threads" % (lib.openblas_get_corename().decode(),
                                                lib.openblas_get_num_threads())
    except (OSError, AttributeError):
        pass
    return "BLAS: " + torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bert", help="BERT model folder")
    ap.add_argument("--gpt2", help="GPT-2 model folder")
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batches", default="1,8")
    ap.add_argument("--min-time", type=float, default=2.0)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--new", type=int, default=64)
    ap.add_argument("--torch-threads", type=int, default=1)
    a = ap.parse_args()

    torch.set_num_threads(a.torch_threads)
    torch.manual_seed(0)
    inputs = read_safetensors(a.inputs)
    print(json.dumps({"info": "PyTorch %s, torch threads %d, %s" % (
        torch.__version__, torch.get_num_threads(), blas_info())}), flush=True)
    outputs = {}
    with torch.inference_mode():
        if a.bert:
            model = Bert(a.bert)
            for b in [int(x) for x in a.batches.split(",") if x]:
                ids = inputs["bert_ids_b%d" % b]
                mask = torch.ones_like(ids)
                y = model.forward(ids, mask)  # warm-up
                runs, start = [], time.perf_counter()
                while len(runs) < 3 or time.perf_counter() - start < a.min_time:
                    t0 = time.perf_counter()
                    y = model.forward(ids, mask)
                    runs.append(time.perf_counter() - t0)
                outputs["bert_b%d" % b] = y
                print(json.dumps({"case": "bert", "batch": b, "median_s": median(runs),
                                  "runs": len(runs)}), flush=True)
            del model
        if a.gpt2:
            model = Gpt2(a.gpt2)
            prompt = inputs["gpt2_prompt"]
            ids, _ = model.generate(prompt, a.new)  # warm-up
            prefill, decode = [], []
            for _ in range(a.runs):
                ids, stamps = model.generate(prompt, a.new)
                prefill.append(stamps[0])
                if len(stamps) > 1:
                    decode.append((len(stamps) - 1) / (stamps[-1] - stamps[0]))
            outputs["gpt2_ids"] = ids
            print(json.dumps({"case": "gpt2", "prefill_s": median(prefill),
                              "decode_tok_s": median(decode) if decode else 0,
                              "runs": a.runs}), flush=True)
    write_safetensors(a.out, outputs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
