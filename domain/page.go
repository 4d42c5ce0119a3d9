package domain

// Page sizes for list fields (AppSync's limit/nextToken convention).
const (
	DefaultPageLimit = 20
	MaxPageLimit     = 100
)

// PageRequest asks for one page of a list: at most Limit items after the
// position NextToken points at ("" for the first page).
type PageRequest struct {
	Limit     int
	NextToken string
}

// NewPageRequest returns a PageRequest with the default limit when limit is
// nil, or a BadRequest error when limit is outside 1..MaxPageLimit.
func NewPageRequest(limit *int, nextToken *string) (PageRequest, error) {
	p := PageRequest{Limit: DefaultPageLimit}
	if limit != nil {
		if *limit < 1 || *limit > MaxPageLimit {
			return PageRequest{}, BadRequest("limit must be between 1 and %d", MaxPageLimit)
		}
		p.Limit = *limit
	}
	if nextToken != nil {
		p.NextToken = *nextToken
	}
	return p, nil
}

// Size is the number of items to return: Limit, or DefaultPageLimit when
// it is not positive, capped at MaxPageLimit (stores call it so that a
// PageRequest built by hand behaves like one from NewPageRequest).
func (p PageRequest) Size() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageLimit
	case p.Limit > MaxPageLimit:
		return MaxPageLimit
	}
	return p.Limit
}

// Page is one page of a list. NextToken is nil on the last page.
type Page[T any] struct {
	Items     []T     `json:"items"`
	NextToken *string `json:"nextToken"`
}
