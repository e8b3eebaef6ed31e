"""FTO grading: the Daily Observation Report form, printable DORs, trends and calibration."""
