#!/usr/bin/python3
"""Exports torchvision architectures with random weights at 32x32 for bench/torchvision.ts (issue 19).

    apt-get install -y python3-torchvision   # once; only this script needs it
    /usr/bin/python3 bench/torchvision/export.py [OUT_DIR [ARCH,ARCH...]]   # default /tmp/ohmnet-torchvision, all

Writes OUT_DIR/<arch>.onnx (opset 13, batch dynamic, eval mode, seeded random weights; the files are large and not
committed) and OUT_DIR/<arch>.json: 4 random inputs and the float64 torch outputs of the same module (model.double()),
the independent reference the bench compares ohmnet's import with.
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision

torch.set_num_threads(1)
OUT = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ohmnet-torchvision"
os.makedirs(OUT, exist_ok=True)

ONLY = sys.argv[2].split(',') if len(sys.argv) > 2 else None
ARCHS = {
    "mobilenet_v3_small": lambda: torchvision.models.mobilenet_v3_small(num_classes=10),
    "efficientnet_b0": lambda: torchvision.models.efficientnet_b0(num_classes=10),
    "shufflenet_v2_x0_5": lambda: torchvision.models.shufflenet_v2_x0_5(num_classes=10),
    "resnet18": lambda: torchvision.models.resnet18(num_classes=10),
    # The architectures the issue measured as compiling before it, re-run here.
    "mobilenet_v2": lambda: torchvision.models.mobilenet_v2(num_classes=10),
    "mnasnet0_5": lambda: torchvision.models.mnasnet0_5(num_classes=10),
    "regnet_x_400mf": lambda: torchvision.models.regnet_x_400mf(num_classes=10),
    "squeezenet1_1": lambda: torchvision.models.squeezenet1_1(num_classes=10),
    "googlenet": lambda: torchvision.models.googlenet(num_classes=10, aux_logits=False, init_weights=True),
    # Refused (the bench prints why): a one-layer vision transformer and a two-stage ConvNeXt, torchvision's classes.
    "vit_tiny": lambda: torchvision.models.vision_transformer.VisionTransformer(
        image_size=32, patch_size=8, num_layers=1, num_heads=2, hidden_dim=32, mlp_dim=64, num_classes=10),
    "convnext_tiny": lambda: torchvision.models.convnext.ConvNeXt(
        [torchvision.models.convnext.CNBlockConfig(16, 32, 1), torchvision.models.convnext.CNBlockConfig(32, None, 1)], num_classes=10),
}

for name, make in ARCHS.items():
    if ONLY and name not in ONLY:
        continue
    torch.manual_seed(19)
    m = make().eval()
    # Random but plausible batch-norm statistics (fresh ones are 0 and 1, which hides the normalization).
    for mod in m.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.1, 0.1)
            mod.running_var.uniform_(0.5, 1.5)
            mod.weight.data.uniform_(0.5, 1.5)
            mod.bias.data.uniform_(-0.1, 0.1)
    x = torch.rand(4, 3, 32, 32) * 2 - 1
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(m, x[:1], path, opset_version=13, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "N"}, "y": {0: "N"}}, do_constant_folding=True)
    with torch.no_grad():
        ref = m.double()(x.double()).numpy()
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"arch": name, "torch": torch.__version__, "torchvision": torchvision.__version__,
                   "inputs": x.double().reshape(4, -1).tolist(), "outputs": ref.tolist()}, f)
    print(name, os.path.getsize(path), "bytes")
