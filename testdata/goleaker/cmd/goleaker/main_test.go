package main

import (
	"strings"
	"testing"
)

func TestListenLoopbackRefusesNonLoopbackAddresses(t *testing.T) {
	for _, a := range []string{"0.0.0.0:0", ":0", "10.1.2.3:0", "example.com:0"} {
		ln, err := listenLoopback(a)
		if err == nil {
			ln.Close()
			t.Errorf("%s: listened, want an error", a)
			continue
		}
		if !strings.Contains(err.Error(), "loopback") {
			t.Errorf("%s: err = %v, want the loopback-only error", a, err)
		}
	}
}

func TestListenLoopbackAcceptsLocalhostIP(t *testing.T) {
	ln, err := listenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
}
