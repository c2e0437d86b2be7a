"""PyTorch peer of the lab's training step, for `npm run bench` (section `peer`, bench/peer.ts).

The same step as the engine (docs/method-notes.md#one-supervision-step; src-main/engine/methods/executor.ts), written
plainly in PyTorch: a post-norm TRM block (RoPE attention, non-causal, no biases; SwiGLU; parameter-free
RMSNorm), one shared net, a cycle = n x z_L <- net(z_L, z_H + x), then z_H <- net(z_H, z_L);
TRM: T-1 cycles without gradient, 1 with, then lm_loss (stablemax CE) + 0.5 q_halt BCE;
DIS: T=1, n=2 with gradient, lm_loss only. AdamW step; the carry is detached between steps.
Shapes: batch B, tokens L = puzzle prefix + grid, width D, heads H, SwiGLU width I, vocab V.

A line-oriented server so the bench can interleave it with the lab's step (single timings on a busy machine are not trusted): it reads
one JSON command per line on stdin and answers one JSON line on stdout.
  {"cmd": "setup", "method": "dis"|"trm", "B":, "L":, "P":, "D":, "H":, "I":, "layers":, "V":, "T":, "n":}
  {"cmd": "run", "threads": 1|2, "steps": k}      -> {"ms": [k step times]}
  {"cmd": "quit"}
"""
import json
import math
import sys
import time

import torch
import torch.nn.functional as F


def rms(x, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Block(torch.nn.Module):
    def __init__(self, D, H, I):
        super().__init__()
        self.H = H
        self.dh = D // H
        self.q = torch.nn.Linear(D, D, bias=False)
        self.k = torch.nn.Linear(D, D, bias=False)
        self.v = torch.nn.Linear(D, D, bias=False)
        self.o = torch.nn.Linear(D, D, bias=False)
        self.gate = torch.nn.Linear(D, I, bias=False)
        self.up = torch.nn.Linear(D, I, bias=False)
        self.down = torch.nn.Linear(I, D, bias=False)

    def forward(self, h, cos, sin):
        B, L, D = h.shape
        shape = (B, L, self.H, self.dh)
        q = self.q(h).view(shape).transpose(1, 2)
        k = self.k(h).view(shape).transpose(1, 2)
        v = self.v(h).view(shape).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.dh)
        a = torch.matmul(torch.softmax(s, dim=-1), v).transpose(1, 2).reshape(B, L, D)
        h = rms(h + self.o(a))
        return rms(h + self.down(F.silu(self.gate(h)) * self.up(h)))


class Net(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        D, H, I, V, P, L = c["D"], c["H"], c["I"], c["V"], c["P"], c["L"]
        self.c = c
        self.tok = torch.nn.Embedding(V, D)
        self.prefix = torch.nn.Parameter(torch.randn(P, D) * 0.02)
        self.step = torch.nn.Embedding(16, D)
        self.blocks = torch.nn.ModuleList([Block(D, H, I) for _ in range(c["layers"])])
        self.lm = torch.nn.Linear(D, V, bias=False)
        self.qh = torch.nn.Linear(D, 2)
        dh = D // H
        inv = 1.0 / (10000 ** (torch.arange(0, dh, 2).float() / dh))
        ang = torch.outer(torch.arange(L).float(), inv)
        emb = torch.cat((ang, ang), dim=-1)
        self.register_buffer("cos", emb.cos()[None, None])
        self.register_buffer("sin", emb.sin()[None, None])

    def embed(self, tokens, dis):
        B = tokens.shape[0]
        x = torch.cat((self.prefix.expand(B, -1, -1), self.tok(tokens)), dim=1)
        if dis:
            x = x + self.step.weight[1]
        return math.sqrt(self.c["D"]) * x

    def net(self, z, inj):
        h = z + inj
        for b in self.blocks:
            h = b(h, self.cos, self.sin)
        return h

    def cycle(self, zH, zL, x, n):
        for _ in range(n):
            zL = self.net(zL, zH + x)
        zH = self.net(zH, zL)
        return zH, zL


def stablemax_ce(logits, labels):
    s = torch.where(logits >= 0, logits + 1, 1 / (1 - logits))
    logp = torch.log(s) - torch.log(s.sum(-1, keepdim=True))
    return -(logp.gather(-1, labels.unsqueeze(-1)).squeeze(-1)).mean(-1).mean()


class Peer:
    def __init__(self, c):
        torch.manual_seed(0)
        self.c = c
        self.dis = c["method"] == "dis"
        self.model = Net(c)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=1e-4, betas=(0.9, 0.95), weight_decay=0.1)
        B, L, P, D, V = c["B"], c["L"], c["P"], c["D"], c["V"]
        self.tokens = torch.randint(0, V, (B, L - P))
        self.labels = torch.randint(0, V, (B, L - P))
        self.zH = torch.zeros(B, L, D)
        self.zL = torch.zeros(B, L, D)

    def step(self):
        c, m = self.c, self.model
        T, n, P = c["T"], c["n"], c["P"]
        x = m.embed(self.tokens, self.dis)
        zH, zL = self.zH, self.zL
        if T > 1:
            with torch.no_grad():
                xd = x.detach()
                for _ in range(T - 1):
                    zH, zL = m.cycle(zH, zL, xd, n)
        zH, zL = m.cycle(zH, zL, x, n)
        logits = m.lm(zH[:, P:])
        loss = stablemax_ce(logits, self.labels)
        if not self.dis:
            q = m.qh(zH[:, 0])[:, 0]
            correct = (logits.argmax(-1) == self.labels).all(-1).float()
            loss = loss + 0.5 * F.binary_cross_entropy_with_logits(q, correct)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        self.zH, self.zL = zH.detach(), zL.detach()
        return float(loss)


def main():
    peer = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        try:
            if cmd["cmd"] == "setup":
                peer = Peer(cmd)
                out = {"ok": True, "torch": torch.__version__, "params": sum(p.numel() for p in peer.model.parameters())}
            elif cmd["cmd"] == "run":
                torch.set_num_threads(int(cmd["threads"]))
                ms = []
                for _ in range(int(cmd["steps"])):
                    t0 = time.perf_counter()
                    peer.step()
                    ms.append((time.perf_counter() - t0) * 1000)
                out = {"ms": ms, "threads": torch.get_num_threads()}
            elif cmd["cmd"] == "quit":
                return
            else:
                out = {"error": "unknown command %r" % cmd["cmd"]}
        except Exception as e:  # reported to the bench, which prints it in the row
            out = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
