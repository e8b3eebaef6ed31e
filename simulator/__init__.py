"""The trainee-facing side of parolesim: CLI, records store, pygame app, reports."""
