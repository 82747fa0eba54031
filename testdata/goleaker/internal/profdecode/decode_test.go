package profdecode

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func gz(t *testing.T, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(raw)
	w.Close()
	return buf.Bytes()
}

func TestParseGzipRejectsNonGzipInput(t *testing.T) {
	if _, err := ParseGzip([]byte("not a profile")); err == nil || !strings.Contains(err.Error(), "gunzip") {
		t.Fatalf("err = %v, want a gunzip error", err)
	}
}

func TestParseRejectsTruncatedLengthDelimitedField(t *testing.T) {
	// field 6 (string_table), wire type 2, length 10, but only 3 bytes follow
	if _, err := Parse([]byte{6<<3 | 2, 10, 'a', 'b', 'c'}); err != errTruncated {
		t.Fatalf("err = %v, want %v", err, errTruncated)
	}
}

func TestParseGzipRejectsOversizedDecompressedProfile(t *testing.T) {
	big := make([]byte, MaxDecompressed+1)
	if _, err := ParseGzip(gz(t, big)); err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Fatalf("err = %v, want the decompressed-size limit error", err)
	}
}

// The recorded corpus is real Go output; its goroutine profiles must decode
// to the sample type go tool pprof reports and the function names it prints.
func TestParseGzipReadsARecordedGoroutineProfileLikeGoToolPprof(t *testing.T) {
	path := filepath.Join("..", "..", "..", "corpus", "H_push-worker", "replica-0", "0034-goroutine.pb.gz")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	p, err := ParseGzip(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.SampleTypes) != 1 || p.SampleTypes[0] != "goroutine/count" {
		t.Fatalf("sample types = %v", p.SampleTypes)
	}
	raw, err := exec.Command("go", "tool", "pprof", "-raw", path).Output()
	if err != nil {
		t.Skipf("go tool pprof not available: %v", err)
	}
	for f := range p.AllFunctions() {
		if f != "" && !strings.Contains(string(raw), " "+f+" ") {
			t.Errorf("function %q decoded but not printed by go tool pprof -raw", f)
		}
	}
	if !p.AllFunctions()["leakwatch.dev/goleaker/internal/push.(*Dispatcher).resolveDevice"] {
		t.Errorf("leak site function missing from the decoded function table")
	}
}
