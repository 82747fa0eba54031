module leakwatch.dev/goleaker

go 1.19
