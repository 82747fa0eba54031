// Command goverdict tells, for each profile file named on the command line,
// whether google/pprof's profile.Parse accepts it: one line per file,
// "ok<TAB>path" or "error<TAB>path<TAB>message". The fuzz corpus replay
// (reliability module, FuzzCorpusReplayTest) uses it as an independent judge
// of which inputs are valid profiles.
//
// Build in GOPATH mode against Debian's google/pprof source:
//   GO111MODULE=off GOPATH=/usr/share/gocode go run main.go FILE...
package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/google/pprof/profile"
)

func main() {
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err == nil {
			_, err = profile.Parse(bytes.NewReader(data))
		}
		if err != nil {
			msg := strings.Join(strings.Fields(err.Error()), " ")
			fmt.Printf("error\t%s\t%s\n", path, msg)
		} else {
			fmt.Printf("ok\t%s\n", path)
		}
	}
}
