"""The app's screens: sign-in, library, briefing, play, pause, debrief, progress, settings."""
