"""The windowed trainee app (pygame-ce + pygame_gui): a thin view over engine, store and scorer."""
