/**
 * CLIP weight files: memory-mapped safetensors (read F32/F16/BF16/I64, write F32), PyTorch zip checkpoints and
 * TorchScript archives through an allow-listed unpickler, HuggingFace ↔ OpenAI names, and the hyper-parameters
 * inferred from shapes as openai/CLIP's build_model does. Entry point: {@link org.cxrclip.clip.weights.WeightFiles#open}.
 */
package org.cxrclip.clip.weights;
