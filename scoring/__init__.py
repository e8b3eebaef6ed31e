"""Policy packs and the scorer: facts from a session become verdicts with a cited policy."""
