/**
 * CLIP: the vision and text transformers, the tokenizer, weight readers (OpenAI .pt, HuggingFace and CheXzero safetensors) and image transforms. Filled by issue 3.
 */
package org.cxrclip.clip;
