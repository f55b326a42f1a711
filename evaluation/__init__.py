"""Quality measurements with thresholds checked by the test suite."""
