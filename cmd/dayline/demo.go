package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/dayline/dayline/demo"
	"github.com/dayline/dayline/store"
)

// seedDemo seeds the demo organisation unless it exists already.
func seedDemo(ctx context.Context, st store.Store, logger *slog.Logger) error {
	seeded, err := demo.Seeded(ctx, st)
	if err != nil {
		return err
	}
	if seeded {
		logger.Info("demo data present, not seeding again", "organisation", demo.OrganisationID)
		return nil
	}
	if err := demo.Seed(ctx, st, now(), newID); err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	logger.Info("seeded demo data", "organisation", demo.OrganisationID)
	return nil
}
