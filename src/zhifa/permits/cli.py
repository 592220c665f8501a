"""``zhifa licences verify FILE.pdf``: check an 电子证照 PDF offline (its SM2 signature by this installation's
key over every byte); ``zhifa permits catalogue``: load the first version of the 事项 catalogue."""

from __future__ import annotations

from pathlib import Path


def cmd_verify(args) -> int:
    from zhifa.core.commandline import cli_error, setup_django

    setup_django()
    from . import certificates

    path = Path(args.file)
    if not path.is_file():
        return cli_error(f"文件 {path} 不存在 / no such file")
    trusted = None
    if args.public_key:
        trusted = args.public_key.strip().lower()
    check = certificates.verify_bytes(path.read_bytes(), trusted_key=trusted)
    if not check.ok:
        print(f"未通过：{check.reason}（{path}）")
        return 1
    print(f"通过：{check.reason}；证照标识 {check.cert_id}；SM3 {check.digest}")
    return 0


def cmd_catalogue(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from django.utils import timezone

    from .services import catalogue_seed

    n = catalogue_seed(on=timezone.localdate())
    print(f"已载入 {n} 个许可事项（已有的事项不变）")
    return 0


def register(sub) -> None:
    s = sub.add_parser("licences", help="电子证照 / electronic licences")
    lsub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = lsub.add_parser(
        "verify", help="离线核验电子证照PDF的SM2签名 / verify an e-licence PDF's SM2 signature offline"
    )
    c.add_argument("file", help="电子证照PDF / the PDF")
    c.add_argument(
        "--public-key",
        help="签名公钥（128位十六进制），默认本部署的公钥 / the signer's public key "
        "(default: this installation's)",
    )
    c.set_defaults(func=cmd_verify)
    s = sub.add_parser("permits", help="行政许可 / permits")
    psub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = psub.add_parser(
        "catalogue", help="载入许可事项目录的首个版本 / load the first version of the catalogue"
    )
    c.set_defaults(func=cmd_catalogue)
