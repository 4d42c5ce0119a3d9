package loaders

import (
	"sync"

	"github.com/graph-gophers/dataloader/v7"
)

// lazyLoader holds a loader that is created the first time it is asked for;
// concurrent first asks get the same loader.
type lazyLoader[K comparable, V any] struct {
	once   sync.Once
	loader *dataloader.Loader[K, V]
}

// get returns the loader, creating it with create on the first call.
func (z *lazyLoader[K, V]) get(create func() *dataloader.Loader[K, V]) *dataloader.Loader[K, V] {
	z.once.Do(func() { z.loader = create() })
	return z.loader
}
