"""Speed and memory benchmarks: every figure is printed next to a reference measured in the same run."""
