/** Provenance: the {@code _ascribe.json} record beside every output, versions and content hashes. */
package dev.ascribe.core.provenance;
