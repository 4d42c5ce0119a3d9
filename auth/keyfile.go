package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

const (
	// devKeyFile is the file name of the local issuer's signing key.
	devKeyFile = "dev-signing-key.pem"
	// devKeyBits is the size of a generated development key.
	devKeyBits = 2048
	// pemTypePKCS8 is the PEM block type of a PKCS#8 private key.
	pemTypePKCS8 = "PRIVATE KEY"
)

// loadOrCreateKey returns the RSA key stored in path as PKCS#8 PEM, creating
// a new 2048-bit key there (mode 0600, directory 0700) if the file does not
// exist. Creation is atomic and never overwrites a concurrently created file.
// It returns an error if the file exists but is not a usable RSA key.
func loadOrCreateKey(path string) (*rsa.PrivateKey, error) {
	key, err := loadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	return createKey(path)
}

// loadKey reads and parses a PKCS#8 PEM RSA private key of at least 2048
// bits. A missing file yields an error wrapping fs.ErrNotExist.
func loadKey(path string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("auth: read signing key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != pemTypePKCS8 {
		return nil, fmt.Errorf("auth: %s: no %q PEM block", path, pemTypePKCS8)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: parse PKCS#8: %w", path, err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("auth: %s: key is %T, want RSA", path, parsed)
	}
	if key.N.BitLen() < minRSABits {
		return nil, fmt.Errorf("auth: %s: RSA key has %d bits, want at least %d", path, key.N.BitLen(), minRSABits)
	}
	return key, nil
}

// createKey generates a key and publishes it at path without overwriting an
// existing file: it writes a temporary file and hard-links it into place. If
// another process won the race, the existing key is loaded instead.
func createKey(path string) (*rsa.PrivateKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, devKeyBits)
	if err != nil {
		return nil, fmt.Errorf("auth: generate signing key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("auth: encode signing key: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("auth: create key dir: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".dev-signing-key-*.tmp") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("auth: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeAndClose(tmp, pem.EncodeToMemory(&pem.Block{Type: pemTypePKCS8, Bytes: der})); err != nil {
		return nil, fmt.Errorf("auth: write key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadKey(path)
		}
		return nil, fmt.Errorf("auth: publish key file: %w", err)
	}
	return key, nil
}

// writeAndClose writes data to f, syncs and closes it, returning the first
// error.
func writeAndClose(f *os.File, data []byte) error {
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	return errors.Join(werr, serr, cerr)
}
