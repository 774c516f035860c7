package transport

import "container/list"

// The cache's entries in memory are bounded by the bytes of their bodies, the least recently
// used leaving first. Unbounded, they were most of a provider's memory at scale: an
// organization-wide dismissal policy over 20,000 alerts lists 143 pages of about a megabyte
// each (every alert carries its repository), and the process kept all 143 MiB of them to its
// end (BenchmarkPolicyViewOfAnOrganization20000, client-MiB). An entry that leaves memory
// stays on disk with a cache directory and is read from there when next asked for; without
// one, its next read is sent without If-None-Match, a 200 instead of a 304.

// DefaultCacheMemory is how many bytes of bodies the cache keeps in memory.
const DefaultCacheMemory = 32 << 20

// memoryEntries is the cache's entries in memory, most recently used first. It is not safe for
// concurrent use: Conditional holds its lock around every call.
type memoryEntries struct {
	budget  int64
	bytes   int64
	byKey   map[string]*list.Element
	recency list.List // of *memoryEntry
}

type memoryEntry struct {
	key    string
	answer *cachedAnswer
}

func newMemoryEntries(budget int64) *memoryEntries {
	return &memoryEntries{budget: budget, byKey: map[string]*list.Element{}}
}

// get is the entry for key, now the most recently used; nil when memory does not hold it.
func (m *memoryEntries) get(key string) *cachedAnswer {
	e := m.byKey[key]
	if e == nil {
		return nil
	}
	m.recency.MoveToFront(e)
	return entryOf(e).answer
}

// put keeps c for key, then lets the least recently used entries go until the bodies fit the
// budget; c itself stays, since an entry's body is at most maxCachedBody.
func (m *memoryEntries) put(key string, c *cachedAnswer) {
	m.remove(key)
	m.byKey[key] = m.recency.PushFront(&memoryEntry{key: key, answer: c})
	m.bytes += int64(len(c.Body))
	for m.bytes > m.budget && m.recency.Len() > 1 {
		m.remove(entryOf(m.recency.Back()).key)
	}
}

func (m *memoryEntries) remove(key string) {
	e := m.byKey[key]
	if e == nil {
		return
	}
	m.bytes -= int64(len(entryOf(e).answer.Body))
	m.recency.Remove(e)
	delete(m.byKey, key)
}

// entryOf is the entry a list element holds; the list holds nothing else.
func entryOf(e *list.Element) *memoryEntry {
	entry, _ := e.Value.(*memoryEntry)
	return entry
}
