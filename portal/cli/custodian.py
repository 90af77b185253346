"""The custodian key pair that seals confidential identities, and `flask custodian init`.

The server keeps the public key and, at most, the private key sealed under the custodian's
passphrase; the passphrase is never stored, so nothing on the server can open an identity.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.lib import crypto

KEY_FILE = "custodian.json"
custodian_cli = AppGroup("custodian", help="The key pair that seals denouncers' identities.")


def init_custodian(app: Flask) -> None:
    """Use instance/custodian.json when the keys are not given by the environment."""
    path = Path(app.instance_path) / KEY_FILE
    if app.config.get("CUSTODIAN_PUBLIC_KEY") or not path.exists():
        return
    keys = json.loads(path.read_text(encoding="utf-8"))
    app.config["CUSTODIAN_PUBLIC_KEY"] = keys.get("public_key")
    app.config["CUSTODIAN_SEALED_PRIVATE_KEY"] = keys.get("sealed_private_key")


def write_keys(instance_path: str, passphrase: str) -> Path:
    keys = crypto.generate_custodian_keys(passphrase)
    path = Path(instance_path) / KEY_FILE
    path.write_text(
        json.dumps(
            {"public_key": keys.public_key_b64, "sealed_private_key": keys.sealed_private_key_b64}
        ),
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


@custodian_cli.command("init")
@click.password_option("--passphrase", help="The custodian's passphrase (asked twice).")
def init_keys(passphrase: str) -> None:
    """Create the key pair in instance/custodian.json (refuses to replace an existing one)."""
    path = Path(current_app.instance_path) / KEY_FILE
    if path.exists():
        raise click.ClickException(f"{path} exists; replacing it would lock out old identities.")
    if len(passphrase) < 16:
        raise click.ClickException("Choose a passphrase of at least 16 characters.")
    written = write_keys(current_app.instance_path, passphrase)
    click.echo(f"Wrote {written}. Keep the passphrase with the custodian, not on this server.")
