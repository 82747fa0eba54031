// Package profdecode is a minimal, stdlib-only reader for gzip-compressed
// profile.proto files (the format served by net/http/pprof with debug=0). It
// keeps only what corpustool's sanity checks need: sample types, samples
// (location ids and values), the function names of every location, period
// and time. Field numbers follow google/pprof's profile.proto.
package profdecode

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// MaxDecompressed bounds the decompressed size of one profile.
const MaxDecompressed = 64 << 20

// Profile is the decoded subset of a profile.
type Profile struct {
	SampleTypes []string // "type/unit", e.g. "inuse_space/bytes"
	Samples     []Sample
	Period      int64
	TimeNanos   int64
	locFuncs    map[uint64][]uint64 // location id -> function ids (inlined first)
	funcNames   map[uint64]int64    // function id -> string table index
	strings     []string
}

// Sample is one sample: location ids leaf first, one value per sample type.
type Sample struct {
	Locations []uint64
	Values    []int64
}

// Index returns the position of the sample type named typ ("inuse_space"), or -1.
func (p *Profile) Index(typ string) int {
	for i, st := range p.SampleTypes {
		if len(st) > len(typ) && st[:len(typ)] == typ && st[len(typ)] == '/' {
			return i
		}
	}
	return -1
}

// Functions returns the names of all functions on the sample's stack.
func (p *Profile) Functions(s Sample) []string {
	var out []string
	for _, loc := range s.Locations {
		for _, fid := range p.locFuncs[loc] {
			out = append(out, p.str(p.funcNames[fid]))
		}
	}
	return out
}

// AllFunctions returns the set of function names in the function table.
func (p *Profile) AllFunctions() map[string]bool {
	out := make(map[string]bool, len(p.funcNames))
	for _, idx := range p.funcNames {
		out[p.str(idx)] = true
	}
	return out
}

func (p *Profile) str(i int64) string {
	if i < 0 || i >= int64(len(p.strings)) {
		return ""
	}
	return p.strings[i]
}

// ParseGzip decodes a gzip-compressed profile.
func ParseGzip(data []byte) (*Profile, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, MaxDecompressed+1))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	if len(raw) > MaxDecompressed {
		return nil, fmt.Errorf("decompressed profile exceeds %d bytes", MaxDecompressed)
	}
	return Parse(raw)
}

// Parse decodes an uncompressed profile.
func Parse(raw []byte) (*Profile, error) {
	p := &Profile{locFuncs: map[uint64][]uint64{}, funcNames: map[uint64]int64{}}
	var typeIdx [][2]int64
	err := fields(raw, func(num int, wire int, v uint64, b []byte) error {
		switch {
		case num == 1 && wire == 2:
			var vt [2]int64
			err := fields(b, func(n, w int, v uint64, _ []byte) error {
				if w == 0 && (n == 1 || n == 2) {
					vt[n-1] = int64(v)
				}
				return nil
			})
			typeIdx = append(typeIdx, vt)
			return err
		case num == 2 && wire == 2:
			s, err := parseSample(b)
			p.Samples = append(p.Samples, s)
			return err
		case num == 4 && wire == 2:
			return p.parseLocation(b)
		case num == 5 && wire == 2:
			var id uint64
			var name int64
			err := fields(b, func(n, w int, v uint64, _ []byte) error {
				switch {
				case n == 1 && w == 0:
					id = v
				case n == 2 && w == 0:
					name = int64(v)
				}
				return nil
			})
			p.funcNames[id] = name
			return err
		case num == 6 && wire == 2:
			p.strings = append(p.strings, string(b))
		case num == 9 && wire == 0:
			p.TimeNanos = int64(v)
		case num == 12 && wire == 0:
			p.Period = int64(v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, vt := range typeIdx {
		p.SampleTypes = append(p.SampleTypes, p.str(vt[0])+"/"+p.str(vt[1]))
	}
	for i, s := range p.Samples {
		if len(s.Values) != len(p.SampleTypes) {
			return nil, fmt.Errorf("sample %d has %d values for %d sample types", i, len(s.Values), len(p.SampleTypes))
		}
	}
	return p, nil
}

func parseSample(b []byte) (Sample, error) {
	var s Sample
	err := fields(b, func(n, w int, v uint64, packed []byte) error {
		switch {
		case n == 1 && w == 0:
			s.Locations = append(s.Locations, v)
		case n == 1 && w == 2:
			return varints(packed, func(x uint64) { s.Locations = append(s.Locations, x) })
		case n == 2 && w == 0:
			s.Values = append(s.Values, int64(v))
		case n == 2 && w == 2:
			return varints(packed, func(x uint64) { s.Values = append(s.Values, int64(x)) })
		}
		return nil
	})
	return s, err
}

func (p *Profile) parseLocation(b []byte) error {
	var id uint64
	var funcs []uint64
	err := fields(b, func(n, w int, v uint64, line []byte) error {
		switch {
		case n == 1 && w == 0:
			id = v
		case n == 4 && w == 2:
			return fields(line, func(ln, lw int, lv uint64, _ []byte) error {
				if ln == 1 && lw == 0 {
					funcs = append(funcs, lv)
				}
				return nil
			})
		}
		return nil
	})
	p.locFuncs[id] = funcs
	return err
}

var errTruncated = errors.New("truncated protobuf")

// fields walks the top-level fields of a message, calling fn with the field
// number, wire type, the varint value (wire 0) or the bytes (wire 2).
func fields(b []byte, fn func(num, wire int, v uint64, data []byte) error) error {
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return errTruncated
		}
		b = b[n:]
		num, wire := int(key>>3), int(key&7)
		var v uint64
		var data []byte
		switch wire {
		case 0:
			v, n = binary.Uvarint(b)
			if n <= 0 {
				return errTruncated
			}
			b = b[n:]
		case 1:
			if len(b) < 8 {
				return errTruncated
			}
			b = b[8:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return errTruncated
			}
			data, b = b[n:n+int(l)], b[n+int(l):]
		case 5:
			if len(b) < 4 {
				return errTruncated
			}
			b = b[4:]
		default:
			return fmt.Errorf("unsupported wire type %d (field %d)", wire, num)
		}
		if err := fn(num, wire, v, data); err != nil {
			return err
		}
	}
	return nil
}

func varints(b []byte, fn func(uint64)) error {
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return errTruncated
		}
		fn(v)
		b = b[n:]
	}
	return nil
}
