// Package search is the churn scenario ("search-api"): steady query handling
// that tokenizes, scores and encodes results; every allocation is dropped
// when the query returns. High allocation rate, nothing retained: not a leak.
package search

import (
	"context"
	"math/rand"
	"sort"
	"strings"
	"time"

	"leakwatch.dev/goleaker/internal/rng"
)

// Config tunes the scenario.
type Config struct {
	Seed         int64
	QueriesPerS  int
	CandidatesPQ int // candidate documents scored per query
}

type hit struct {
	doc   int
	score float64
	title string
}

// Engine answers queries.
type Engine struct {
	r    *rand.Rand
	sink int
}

var vocabulary = strings.Fields("red blue green shoes jacket summer winter sale cotton wool kids women men sport running trail city classic slim")

// Run drives the scenario until ctx is done.
func Run(ctx context.Context, cfg Config) {
	e := &Engine{r: rng.For(cfg.Seed, "search")}
	const step = 10 * time.Millisecond
	t := time.NewTicker(step)
	defer t.Stop()
	owed := 0.0
	perStep := float64(cfg.QueriesPerS) * step.Seconds()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for owed += perStep; owed >= 1; owed-- {
			q := vocabulary[e.r.Intn(len(vocabulary))] + " " + vocabulary[e.r.Intn(len(vocabulary))]
			e.sink += len(e.Query(q, cfg.CandidatesPQ))
		}
	}
}

// Query scores candidates for q and returns the encoded top results.
//
//go:noinline
func (e *Engine) Query(q string, candidates int) []byte {
	terms := tokenize(q)
	hits := e.rank(terms, candidates)
	return encodeResults(hits)
}

//go:noinline
func tokenize(q string) []string {
	return strings.Fields(strings.ToLower(q))
}

//go:noinline
func (e *Engine) rank(terms []string, candidates int) []hit {
	hits := make([]hit, 0, candidates)
	for i := 0; i < candidates; i++ {
		hits = append(hits, hit{doc: e.r.Intn(1 << 20), score: e.r.Float64() * float64(len(terms)), title: terms[i%len(terms)]})
	}
	sort.Slice(hits, func(a, b int) bool { return hits[a].score > hits[b].score })
	return hits
}

//go:noinline
func encodeResults(hits []hit) []byte {
	var sb strings.Builder
	for i, h := range hits {
		if i == 50 {
			break
		}
		sb.WriteString(`{"doc":`)
		sb.WriteString(h.title)
		sb.WriteString(strings.Repeat(" ", 200))
		sb.WriteString("}\n")
	}
	return []byte(sb.String())
}
