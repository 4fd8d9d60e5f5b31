#!/usr/bin/env python3
"""Generates the Tessel model zoo: one .mlir file per network.

Every layer becomes a `func.func` holding exactly one linalg op on static f32
tensors (batch 1 for the CNNs). The shape tables below are the single source
of truth; each table names where its shapes come from.

    python3 workloads/zoo/generate.py          # (re)write the .mlir files
    python3 workloads/zoo/generate.py --check  # fail if a file is out of date

Conventions (shared with workloads/LinalgImport):
  * convolutions are linalg.conv_2d_nhwc_hwcf (input NHWC, filter HWCF,
    output NHWF) and linalg.depthwise_conv_2d_nhwc_hwc (filter HWC), with
    explicit dilations/strides. Linalg convs have no padding, so the input
    operand is the already-padded tensor with the minimal extent the op
    reads: H = (OH - 1) * stride + KH (W likewise).
  * fully-connected layers are linalg.matmul [M x K] * [K x N] -> [M x N].
  * tensor contractions are linalg.generic with a multiply-accumulate body
    and `tessel.dims` / `tessel.tensors` naming the loops and operands.
  * MACs of an op = product of all its loop bounds.

Standard library only. The output is deterministic: running the script twice
gives byte-identical files.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CONV_ATTRS = ("{{dilations = dense<1> : tensor<2xi64>, "
              "strides = dense<{s}> : tensor<2xi64>}}")


def ttype(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def group(n):
    return "{:,}".format(n)


def conv_out(size, k, stride, pad):
    """Output extent of a convolution / pooling window (floor mode)."""
    return (size + 2 * pad - k) // stride + 1


# ---------------------------------------------------------------------------
# Layer kinds. Each knows its MACs from its own parameters (`macs`) and emits
# one func. `check` recomputes the MACs from the emitted operand types, as the
# product of the op's loop bounds, so the two computations are independent.
# ---------------------------------------------------------------------------


class Conv:
    """2-D convolution, NHWC input / HWCF filter, from the layer's real
    input size `h` x `w` and padding `pad`."""
    op = "linalg.conv_2d_nhwc_hwcf"

    def __init__(self, name, where, h, w, c, f, k, stride, pad, n=1):
        self.name, self.where = name, where
        self.n, self.h, self.w, self.c, self.f = n, h, w, c, f
        self.kh = self.kw = k
        self.stride, self.pad = stride, pad
        self.oh = conv_out(h, k, stride, pad)
        self.ow = conv_out(w, k, stride, pad)
        # Minimal padded extent the op reads; never more than the padded input.
        self.ih = (self.oh - 1) * stride + self.kh
        self.iw = (self.ow - 1) * stride + self.kw
        assert self.ih <= h + 2 * pad and self.iw <= w + 2 * pad, name

    @property
    def macs(self):
        return (self.n * self.oh * self.ow * self.f * self.kh * self.kw *
                self.c)

    def shapes(self):
        return ([self.n, self.ih, self.iw, self.c],
                [self.kh, self.kw, self.c, self.f],
                [self.n, self.oh, self.ow, self.f])

    def describe(self):
        return ("conv {}x{}/{} pad {}, {} -> {} ch, {}x{} -> {}x{}".format(
            self.kh, self.kw, self.stride, self.pad, self.c, self.f, self.h,
            self.w, self.oh, self.ow))

    def body(self):
        i, w, o = (ttype(s) for s in self.shapes())
        return [
            "  %0 = {}".format(self.op),
            "         " + CONV_ATTRS.format(s=self.stride),
            "         ins(%in, %w : {}, {})".format(i, w),
            "         outs(%out : {}) -> {}".format(o, o),
        ]

    @staticmethod
    def loop_bounds(ins, fil, out, stride):
        n, oh, ow, f = out
        kh, kw, c, f2 = fil
        assert f == f2 and ins[0] == n and ins[3] == c
        assert ins[1] >= (oh - 1) * stride + kh
        assert ins[2] >= (ow - 1) * stride + kw
        return [n, oh, ow, f, kh, kw, c]


class DepthwiseConv(Conv):
    """Depthwise 2-D convolution, NHWC input / HWC filter (multiplier 1)."""
    op = "linalg.depthwise_conv_2d_nhwc_hwc"

    def __init__(self, name, where, h, w, c, k, stride, pad, n=1):
        Conv.__init__(self, name, where, h, w, c, c, k, stride, pad, n)

    @property
    def macs(self):
        return self.n * self.oh * self.ow * self.c * self.kh * self.kw

    def shapes(self):
        return ([self.n, self.ih, self.iw, self.c],
                [self.kh, self.kw, self.c],
                [self.n, self.oh, self.ow, self.c])

    def describe(self):
        return ("depthwise conv {}x{}/{} pad {}, {} ch, {}x{} -> {}x{}".format(
            self.kh, self.kw, self.stride, self.pad, self.c, self.h, self.w,
            self.oh, self.ow))

    @staticmethod
    def loop_bounds(ins, fil, out, stride):
        n, oh, ow, c = out
        kh, kw, c2 = fil
        assert c == c2 and ins[0] == n and ins[3] == c
        assert ins[1] >= (oh - 1) * stride + kh
        assert ins[2] >= (ow - 1) * stride + kw
        return [n, oh, ow, c, kh, kw]


class Matmul:
    """C[M, N] += A[M, K] * B[K, N]."""
    op = "linalg.matmul"

    def __init__(self, name, where, m, k, n, what=None):
        self.name, self.where = name, where
        self.m, self.k, self.n = m, k, n
        self.what = what

    @property
    def macs(self):
        return self.m * self.n * self.k

    def shapes(self):
        return [self.m, self.k], [self.k, self.n], [self.m, self.n]

    def describe(self):
        text = "matmul {}x{} * {}x{}".format(self.m, self.k, self.k, self.n)
        return text + (", " + self.what if self.what else "")

    def body(self):
        a, b, c = (ttype(s) for s in self.shapes())
        return [
            "  %0 = {} ins(%in, %w : {}, {})".format(self.op, a, b),
            "         outs(%out : {}) -> {}".format(c, c),
        ]

    @staticmethod
    def loop_bounds(a, b, c, stride=None):
        m, k = a
        k2, n = b
        assert k == k2 and c == [m, n]
        return [m, n, k]


class BatchMatmul(Matmul):
    """C[B, M, N] += A[B, M, K] * B[B, K, N]."""
    op = "linalg.batch_matmul"

    def __init__(self, name, where, b, m, k, n, what=None):
        Matmul.__init__(self, name, where, m, k, n, what)
        self.b = b

    @property
    def macs(self):
        return self.b * self.m * self.n * self.k

    def shapes(self):
        return ([self.b, self.m, self.k], [self.b, self.k, self.n],
                [self.b, self.m, self.n])

    def describe(self):
        text = "batch_matmul {} x ({}x{} * {}x{})".format(
            self.b, self.m, self.k, self.k, self.n)
        return text + (", " + self.what if self.what else "")

    @staticmethod
    def loop_bounds(a, b, c, stride=None):
        bb, m, k = a
        b2, k2, n = b
        assert bb == b2 and k == k2 and c == [bb, m, n]
        return [bb, m, n, k]


class Contraction:
    """out[...] += in0[...] * in1[...] as a linalg.generic.

    `spec` is "R[a,b,i,j] += V[a,b,c,d] * T2[c,d,i,j]"; loops are the output
    indices in order followed by the summed indices in order of first use.
    `extent` maps each index letter to its size.
    """
    op = "linalg.generic"

    def __init__(self, name, where, spec, extent):
        self.name, self.where, self.spec = name, where, spec
        m = re.fullmatch(
            r"(\w+)\[([\w,]+)\] \+= (\w+)\[([\w,]+)\] \* (\w+)\[([\w,]+)\]",
            spec)
        assert m, spec
        out_t, out_i, a_t, a_i, b_t, b_i = m.groups()
        self.tensors = [a_t, b_t, out_t]
        self.indices = [a_i.split(","), b_i.split(","), out_i.split(",")]
        summed = []
        for idx in self.indices[0] + self.indices[1]:
            if idx not in self.indices[2] and idx not in summed:
                summed.append(idx)
        self.dims = self.indices[2] + summed
        self.n_parallel = len(self.indices[2])
        for idx in self.dims:
            # every summed index appears in both inputs (a true contraction)
            assert idx in self.indices[2] or (
                idx in self.indices[0] and idx in self.indices[1]), spec
        self.extent = {d: extent[d] for d in self.dims}

    @property
    def macs(self):
        total = 1
        for d in self.dims:
            total *= self.extent[d]
        return total

    def shapes(self):
        return tuple([self.extent[i] for i in ix] for ix in self.indices)

    def describe(self):
        return self.spec

    def body(self):
        ds = ["d{}".format(k) for k in range(len(self.dims))]
        head = "affine_map<({}) -> (".format(", ".join(ds))
        maps = [head + ", ".join(ds[self.dims.index(i)] for i in ix) + ")>"
                for ix in self.indices]
        iters = ", ".join(
            '"parallel"' if k < self.n_parallel else '"reduction"'
            for k in range(len(self.dims)))
        a, b, c = (ttype(s) for s in self.shapes())
        quote = lambda names: ", ".join('"{}"'.format(x) for x in names)
        return [
            "  %0 = linalg.generic",
            "         {{indexing_maps = [{},".format(maps[0]),
            "                           {},".format(maps[1]),
            "                           {}],".format(maps[2]),
            "          iterator_types = [{}]}}".format(iters),
            "         ins(%in, %w : {}, {})".format(a, b),
            "         outs(%out : {})".format(c),
            "         attrs = {{tessel.dims = [{}],".format(quote(self.dims)),
            "                  tessel.tensors = [{}]}} {{".format(
                quote(self.tensors)),
            "  ^bb0(%x: f32, %y: f32, %acc: f32):",
            "    %p = arith.mulf %x, %y : f32",
            "    %s = arith.addf %acc, %p : f32",
            "    linalg.yield %s : f32",
            "  }} -> {}".format(c),
        ]

    def loop_bounds_from(self, shapes):
        bound = {}
        for shape, ix in zip(shapes, self.indices):
            assert len(shape) == len(ix)
            for size, i in zip(shape, ix):
                assert bound.setdefault(i, size) == size, (self.name, i)
        return [bound[d] for d in self.dims]


def emit_func(layer):
    i, w, o = (ttype(s) for s in layer.shapes())
    lines = [
        "// {}: {}{}; {} MACs".format(
            layer.name, layer.describe(),
            " [{}]".format(layer.where) if layer.where else "",
            group(layer.macs)),
        "func.func @{}(%in: {}, %w: {}, %out: {}) -> {} {{".format(
            layer.name, i, w, o, o),
    ]
    lines += layer.body()
    lines += ["  return %0 : {}".format(o), "}"]
    return "\n".join(lines) + "\n"


def parse_type(text):
    m = re.fullmatch(r"tensor<([0-9x]+)xf32>", text)
    assert m, text
    return [int(d) for d in m.group(1).split("x")]


def check_layer(layer, func_text):
    """Recomputes the MACs from the types in the emitted func (product of the
    op's loop bounds) and compares with the layer's own formula."""
    m = re.search(r"func\.func @(\w+)\(%in: (\S+), %w: (\S+), %out: (\S+)\)",
                  func_text)
    assert m and m.group(1) == layer.name
    shapes = [parse_type(t) for t in m.groups()[1:]]
    assert func_text.count("linalg.") == 1 + func_text.count("linalg.yield"), \
        layer.name
    if isinstance(layer, Contraction):
        bounds = layer.loop_bounds_from(shapes)
    else:
        stride = re.search(r"strides = dense<(\d+)>", func_text)
        bounds = layer.loop_bounds(*shapes,
                                   stride=int(stride.group(1)) if stride
                                   else None)
    product = 1
    for b in bounds:
        product *= b
    assert product == layer.macs, (layer.name, product, layer.macs)
    return product


# ---------------------------------------------------------------------------
# ResNet-50 v1.5
#   He et al., "Deep Residual Learning for Image Recognition", CVPR 2016,
#   Table 1 (50-layer column); v1.5 layout as in torchvision.models.resnet50
#   (torchvision/models/resnet.py, Bottleneck: stride on the 3x3 conv2;
#   downsample = 1x1 conv with the block's stride).
# ---------------------------------------------------------------------------

RESNET50_STAGES = [  # (name, blocks, width, out channels, first stride)
    ("layer1", 3, 64, 256, 1),
    ("layer2", 4, 128, 512, 2),
    ("layer3", 6, 256, 1024, 2),
    ("layer4", 3, 512, 2048, 2),
]


def resnet50():
    layers = [Conv("conv1", "conv1", 224, 224, 3, 64, 7, 2, 3)]
    size = conv_out(112, 3, 2, 1)  # maxpool 3x3/2 pad 1: 112 -> 56
    inplanes = 64
    for stage, blocks, width, out, first_stride in RESNET50_STAGES:
        for b in range(blocks):
            s = first_stride if b == 0 else 1
            p = "{}_{}".format(stage, b)
            t = "{}.{}".format(stage, b)
            layers.append(Conv(p + "_conv1", t + ".conv1", size, size,
                               inplanes, width, 1, 1, 0))
            layers.append(Conv(p + "_conv2", t + ".conv2", size, size,
                               width, width, 3, s, 1))
            after = layers[-1].oh
            layers.append(Conv(p + "_conv3", t + ".conv3", after, after,
                               width, out, 1, 1, 0))
            if b == 0:  # stride != 1 or inplanes != out
                layers.append(Conv(p + "_downsample", t + ".downsample.0",
                                   size, size, inplanes, out, 1, s, 0))
                assert layers[-1].oh == after
            inplanes, size = out, after
    assert size == 7  # then global average pooling to 1x1x2048
    layers.append(Matmul("fc", "fc", 1, 2048, 1000, "2048 -> 1000"))
    return layers


# ---------------------------------------------------------------------------
# VGG-16
#   Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale
#   Image Recognition", ICLR 2015, Table 1 configuration D;
#   torchvision.models.vgg16 (cfg "D"; features.N / classifier.N indices).
# ---------------------------------------------------------------------------

VGG16_CFG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
             512, 512, 512, "M", 512, 512, 512, "M"]


def vgg16():
    layers, size, c, block, idx, index = [], 224, 3, 1, 1, 0
    for v in VGG16_CFG:
        if v == "M":
            size //= 2
            block, idx, index = block + 1, 1, index + 1
            continue
        layers.append(Conv("conv{}_{}".format(block, idx),
                           "features.{}".format(index), size, size, c, v, 3,
                           1, 1))
        c, idx, index = v, idx + 1, index + 2  # conv, ReLU
    assert size == 7 and c == 512
    layers += [
        Matmul("fc6", "classifier.0", 1, 512 * 7 * 7, 4096, "25088 -> 4096"),
        Matmul("fc7", "classifier.3", 1, 4096, 4096, "4096 -> 4096"),
        Matmul("fc8", "classifier.6", 1, 4096, 1000, "4096 -> 1000"),
    ]
    return layers


# ---------------------------------------------------------------------------
# AlexNet (single tower)
#   Krizhevsky, "One weird trick for parallelizing convolutional neural
#   networks", arXiv:1404.5997 (2014) as implemented by
#   torchvision.models.alexnet; original: Krizhevsky, Sutskever & Hinton,
#   NIPS 2012.
# ---------------------------------------------------------------------------


def alexnet():
    pool = lambda s: conv_out(s, 3, 2, 0)  # MaxPool2d(3, stride 2)
    c1 = Conv("conv1", "features.0", 224, 224, 3, 64, 11, 4, 2)  # -> 55
    s = pool(c1.oh)  # 27
    c2 = Conv("conv2", "features.3", s, s, 64, 192, 5, 1, 2)  # -> 27
    s = pool(c2.oh)  # 13
    c3 = Conv("conv3", "features.6", s, s, 192, 384, 3, 1, 1)
    c4 = Conv("conv4", "features.8", s, s, 384, 256, 3, 1, 1)
    c5 = Conv("conv5", "features.10", s, s, 256, 256, 3, 1, 1)
    s = pool(c5.oh)  # 6 (AdaptiveAvgPool2d((6, 6)) is then the identity)
    assert (c1.oh, c2.oh, c3.oh, s) == (55, 27, 13, 6)
    return [c1, c2, c3, c4, c5,
            Matmul("fc6", "classifier.1", 1, 256 * 6 * 6, 4096,
                   "9216 -> 4096"),
            Matmul("fc7", "classifier.4", 1, 4096, 4096, "4096 -> 4096"),
            Matmul("fc8", "classifier.6", 1, 4096, 1000, "4096 -> 1000")]


# ---------------------------------------------------------------------------
# MobileNetV2 1.0, 224x224
#   Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks",
#   CVPR 2018, Table 2; torchvision.models.mobilenet_v2 (width_mult 1.0;
#   features.0 stem, features.1..17 inverted residuals, features.18 head).
# ---------------------------------------------------------------------------

MOBILENETV2_CFG = [  # t (expansion), c (out channels), n (repeats), s
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
]


def mobilenetv2():
    layers = [Conv("conv_stem", "features.0.0", 224, 224, 3, 32, 3, 2, 1)]
    size, c, k = layers[0].oh, 32, 1
    for t, out, n, first_stride in MOBILENETV2_CFG:
        for r in range(n):
            s = first_stride if r == 0 else 1
            hidden = c * t
            p, tv = "block{}_".format(k), "features.{}.conv.".format(k)
            sub = 0
            if t != 1:
                layers.append(Conv(p + "expand", tv + "0.0", size, size, c,
                                   hidden, 1, 1, 0))
                sub = 1
            layers.append(DepthwiseConv(p + "dw", tv + "{}.0".format(sub),
                                        size, size, hidden, 3, s, 1))
            size = layers[-1].oh
            layers.append(Conv(p + "project", tv + str(sub + 1), size, size,
                               hidden, out, 1, 1, 0))
            c, k = out, k + 1
    assert (size, c, k) == (7, 320, 18)
    layers.append(Conv("conv_head", "features.18.0", size, size, c, 1280, 1,
                       1, 0))
    layers.append(Matmul("fc", "classifier.1", 1, 1280, 1000,
                         "1280 -> 1000"))
    return layers


# ---------------------------------------------------------------------------
# BERT-base encoder layer, sequence length 512, batch 1
#   Devlin et al., "BERT: Pre-training of Deep Bidirectional Transformers for
#   Language Understanding", NAACL 2019 (BERT-base: L = 12 layers, H = 768,
#   A = 12 heads, FFN 4H = 3072); attention as in Vaswani et al., NeurIPS
#   2017; layer names follow HuggingFace transformers' BertLayer.
# ---------------------------------------------------------------------------

BERT_SEQ, BERT_HIDDEN, BERT_HEADS, BERT_FFN = 512, 768, 12, 3072


def bert_base():
    s, h, a, f = BERT_SEQ, BERT_HIDDEN, BERT_HEADS, BERT_FFN
    d = h // a  # 64
    return [
        Matmul("q_proj", "attention.self.query", s, h, h, "X * Wq"),
        Matmul("k_proj", "attention.self.key", s, h, h, "X * Wk"),
        Matmul("v_proj", "attention.self.value", s, h, h, "X * Wv"),
        BatchMatmul("attn_scores", "", a, s, d, s,
                    "per head Q * K^T (K^T given as 64x512)"),
        BatchMatmul("attn_context", "", a, s, s, d,
                    "per head softmax(scores) * V"),
        Matmul("attn_out_proj", "attention.output.dense", s, h, h,
               "context * Wo"),
        Matmul("ffn_up", "intermediate.dense", s, h, f, "768 -> 3072"),
        Matmul("ffn_down", "output.dense", s, f, h, "3072 -> 768"),
    ]


# ---------------------------------------------------------------------------
# DLRM MLPs, Criteo Kaggle (Display Advertising Challenge) configuration
#   Naumov et al., "Deep Learning Recommendation Model for Personalization and
#   Recommendation Systems", arXiv:1906.00091 (2019); facebookresearch/dlrm
#   bench/dlrm_s_criteo_kaggle.sh: --arch-sparse-feature-size=16
#   --arch-mlp-bot="13-512-256-64-16" --arch-mlp-top="512-256-1".
#   dlrm_s_pytorch.py prepends the interaction width to the top MLP: with
#   "dot" interaction and arch_interaction_itself=False,
#   num_int = F*(F-1)/2 + 16 with F = 26 sparse + 1 dense = 27 features,
#   i.e. 351 + 16 = 367, so the top MLP is 367-512-256-1.
# ---------------------------------------------------------------------------

DLRM_BATCH = 2048
DLRM_SPARSE_FEATURES = 26
DLRM_BOTTOM = [13, 512, 256, 64, 16]
DLRM_TOP_ARG = [512, 256, 1]


def dlrm_top_widths():
    fea = DLRM_SPARSE_FEATURES + 1
    num_int = fea * (fea - 1) // 2 + DLRM_BOTTOM[-1]
    assert num_int == 367
    return [num_int] + DLRM_TOP_ARG


def dlrm():
    layers = []
    for tag, where, widths in (("bot", "bot_l", DLRM_BOTTOM),
                               ("top", "top_l", dlrm_top_widths())):
        for k in range(len(widths) - 1):
            layers.append(Matmul(
                "{}_mlp_{}".format(tag, k), "{}.{}".format(where, 2 * k),
                DLRM_BATCH, widths[k], widths[k + 1],
                "{} -> {}".format(widths[k], widths[k + 1])))
    return layers


# ---------------------------------------------------------------------------
# Quantum-chemistry tensor contractions (CCSD and CCSD(T))
#   Closed-shell-style CCSD doubles-residual terms (e.g. Crawford & Schaefer,
#   Rev. Comp. Chem. 14, 2000; Scuseria, Janssen & Schaefer, JCP 89, 1988)
#   and the two kinds of CCSD(T) triples contractions of the TCCG benchmark
#   (Springer & Bientinesi, "Design of a High-Performance GEMM-like
#   Tensor-Tensor Multiplication", ACM TOMS 44(3), 2018; HPAC/tccg
#   benchmark/benchmark.py, testcases_ccsd_t "abcijk-ijma-mkbc" and
#   "abcijk-eiab-jkec", taken from Apra et al., SC 2014 / NWChem).
#   Extents: benzene (C6H6) in cc-pVTZ, 264 spherical basis functions
#   (C [4s3p2d1f] = 30, H [3s2p1d] = 14), 21 doubly occupied orbitals of
#   which the 6 carbon 1s are frozen: o = 15 active occupied, v = 243 virtual.
#   Index letters a-f: virtual (extent v); i-n: occupied (extent o).
# ---------------------------------------------------------------------------

CC_OCC, CC_VIRT = 15, 243

CONTRACTIONS = [  # (name, spec, source)
    ("ccsd_pp_ladder", "R[a,b,i,j] += V[a,b,c,d] * T2[c,d,i,j]",
     "particle-particle ladder, o^2 v^4"),
    ("ccsd_hh_ladder", "R[a,b,i,j] += T2[a,b,k,l] * W[k,l,i,j]",
     "hole-hole ladder, o^4 v^2"),
    ("ccsd_hh_intermediate", "W[k,l,i,j] += V[k,l,c,d] * T2[c,d,i,j]",
     "W_klij intermediate of the hole-hole ladder, o^4 v^2"),
    ("ccsd_ring", "R[a,b,i,j] += T2[a,c,i,k] * W[k,b,c,j]",
     "ring (particle-hole) term, o^3 v^3"),
    ("ccsd_ring_intermediate", "W[k,b,c,j] += V[k,l,c,d] * T2[d,b,l,j]",
     "W_kbcj ring intermediate, o^3 v^3"),
    ("ccsd_t_hole", "W3[a,b,c,i,j,k] += V[i,j,m,a] * T2[m,k,b,c]",
     "(T) triples, hole term, TCCG abcijk-ijma-mkbc, o^4 v^3"),
    ("ccsd_t_particle", "W3[a,b,c,i,j,k] += V[e,i,a,b] * T2[j,k,e,c]",
     "(T) triples, particle term, TCCG abcijk-eiab-jkec, o^3 v^4"),
]


def contractions():
    extent = {}
    for letter in "abcdef":
        extent[letter] = CC_VIRT
    for letter in "ijklmn":
        extent[letter] = CC_OCC
    return [Contraction(name, where, spec, extent)
            for name, spec, where in CONTRACTIONS]


# ---------------------------------------------------------------------------
# Files: name, builder, header lines, published MACs and tolerance.
# ---------------------------------------------------------------------------

NETWORKS = [
    ("resnet50.mlir", resnet50, [
        "ResNet-50 v1.5 (ImageNet classifier), inference, 224x224x3 input.",
        "Shapes: He et al., \"Deep Residual Learning for Image Recognition\",",
        "CVPR 2016, Table 1; v1.5 layout of torchvision.models.resnet50 (stride",
        "on the 3x3 conv2 of each bottleneck; 1x1 downsample projection in the",
        "first block of every stage). 53 convs + fc; layer names follow the",
        "torchvision module names. Pooling, batch norm, ReLU and residual adds",
        "are not included.",
    ], 4.09e9, 0.02),
    ("vgg16.mlir", vgg16, [
        "VGG-16 (ImageNet classifier, configuration D), inference, 224x224x3.",
        "Shapes: Simonyan & Zisserman, \"Very Deep Convolutional Networks for",
        "Large-Scale Image Recognition\", ICLR 2015, Table 1 (D);",
        "torchvision.models.vgg16. 13 convs 3x3 pad 1 + 3 fully-connected.",
        "Max pooling and ReLU are not included.",
    ], 15.5e9, 0.02),
    ("alexnet.mlir", alexnet, [
        "AlexNet, single-tower variant of torchvision.models.alexnet, 224x224x3.",
        "Shapes: Krizhevsky, \"One weird trick for parallelizing convolutional",
        "neural networks\", arXiv:1404.5997, 2014 (as in torchvision); the",
        "original is Krizhevsky, Sutskever & Hinton, NIPS 2012.",
        "5 convs + 3 fully-connected. Pooling, ReLU, dropout not included.",
    ], 0.71e9, 0.02),
    ("mobilenetv2.mlir", mobilenetv2, [
        "MobileNetV2 1.0 (width multiplier 1.0), inference, 224x224x3 input.",
        "Shapes: Sandler et al., \"MobileNetV2: Inverted Residuals and Linear",
        "Bottlenecks\", CVPR 2018, Table 2; torchvision.models.mobilenet_v2.",
        "Stem conv, 17 inverted-residual blocks (blockK = features.K; expand",
        "1x1 when t != 1, depthwise 3x3, project 1x1), head 1x1 conv to 1280,",
        "fc. Batch norm, ReLU6 and residual adds are not included.",
    ], 300e6, 0.02),
    ("bert_base.mlir", bert_base, [
        "BERT-base encoder GEMMs, ONE encoder layer; the encoder repeats this",
        "layer 12 times (12x the MACs below for the whole encoder).",
        "Shapes: Devlin et al., \"BERT: Pre-training of Deep Bidirectional",
        "Transformers for Language Understanding\", NAACL 2019 (BERT-base:",
        "hidden 768, 12 heads of 64, FFN 3072); attention per Vaswani et al.,",
        "NeurIPS 2017. Sequence length 512. Softmax, scaling, layer norm,",
        "GELU, biases and embeddings are not included.",
    ], None, None),
    ("dlrm.mlir", dlrm, [
        "DLRM MLP stack, Criteo Kaggle configuration, forward pass.",
        "Shapes: Naumov et al., \"Deep Learning Recommendation Model for",
        "Personalization and Recommendation Systems\", arXiv:1906.00091, 2019;",
        "facebookresearch/dlrm bench/dlrm_s_criteo_kaggle.sh: embedding dim 16,",
        "bottom MLP 13-512-256-64-16, top MLP argument 512-256-1. The top",
        "MLP's input width is the dot-interaction output of dlrm_s_pytorch.py:",
        "27 features (26 sparse + 1 dense) give 27*26/2 = 351 pairwise dot",
        "products, plus the 16-wide dense vector = 367; top MLP 367-512-256-1.",
        "Batch 2048 samples is this zoo's choice (the Kaggle script trains",
        "with mini-batch 128). Embedding lookups, the interaction itself,",
        "ReLU and sigmoid are not included.",
    ], None, None),
    ("contractions.mlir", contractions, [
        "Quantum-chemistry tensor contractions: CCSD doubles-residual terms",
        "and CCSD(T) triples terms, each as a linalg.generic.",
        "Sources: CCSD equations (e.g. Crawford & Schaefer, Rev. Comp. Chem.",
        "14, 2000); CCSD(T) terms from the TCCG benchmark (Springer &",
        "Bientinesi, ACM TOMS 44(3), 2018; HPAC/tccg benchmark/benchmark.py",
        "testcases_ccsd_t, from Apra et al., SC 2014 / NWChem).",
        "Extents resemble benzene / cc-pVTZ (264 basis functions) with frozen",
        "carbon 1s cores: o = 15 occupied (i..n), v = 243 virtual (a..f).",
        "Full, untiled index ranges; real (T) codes tile a,b,c or i,j,k.",
        "tessel.dims names the loops d0, d1, ...; tessel.tensors names the",
        "operands (inputs, then output).",
    ], None, None),
]


BATCH_TEXT = {
    "dlrm.mlir": "Batch {} (the M of every matmul)".format(DLRM_BATCH),
    "contractions.mlir": "No batch dimension",
}


def render(filename, builder, header):
    layers = builder()
    names = [l.name for l in layers]
    assert len(set(names)) == len(names), filename
    funcs = [emit_func(l) for l in layers]
    total = 0
    for layer, text in zip(layers, funcs):
        total += check_layer(layer, text)
    assert total == sum(l.macs for l in layers)
    top = ["// " + filename, "//"]
    top += ["// " + line for line in header]
    top += [
        "//",
        "// {}, element type f32, static tensor shapes.".format(
            BATCH_TEXT.get(filename, "Batch 1")),
        "// Layers (linalg ops): {}".format(len(layers)),
        "// Total MACs: {} ({})".format(total, group(total)),
        "//",
        "// Generated by workloads/zoo/generate.py; do not edit by hand.",
    ]
    text = "\n".join(top) + "\n\n" + "\n".join(funcs)
    return text, layers, total


def main(argv):
    check_only = "--check" in argv[1:]
    stale = []
    for filename, builder, header, published, tolerance in NETWORKS:
        text, layers, total = render(filename, builder, header)
        note = ""
        if published is not None:
            error = abs(total - published) / published
            assert error <= tolerance, (filename, total, published)
            note = "  (published ~{:.3g}, off by {:.2%})".format(published,
                                                                error)
        print("{:<18} {:>3} layers  {:>16} MACs{}".format(
            filename, len(layers), total, note))
        path = os.path.join(HERE, filename)
        if check_only:
            try:
                with open(path, "r", encoding="utf-8", newline="") as f:
                    if f.read() != text:
                        stale.append(filename)
            except FileNotFoundError:
                stale.append(filename)
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
