"""`doudi otp reset USER`: clear a person's second factor from the server's shell (the last administrator lost
their phone); audited. `doudi otp code USER`: the current code of a demo county login's demo device (refused for
any other device). `doudi otp token-check --seed HEX --time SECONDS [--step 60] [--digits 6] [--counter N]`: the
code a GM/T 0021 SM3 token with that seed shows at that UTC time (in seconds since 1970), to compare with the
vendor's test vectors before binding its tokens."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from doudi.accounts import twofactor
from doudi.accounts.gmtoken import MIN_SEED_BYTES, sm3_otp
from doudi.accounts.models import Staff


class Command(BaseCommand):
    help = "Second factor: reset a person's devices, or show a demo login's current code."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["reset", "code", "token-check"])
        parser.add_argument("username", nargs="?")
        parser.add_argument("--seed", help="token-check: the seed key, hexadecimal")
        parser.add_argument("--time", type=int, help="token-check: UTC seconds since 1970-01-01")
        parser.add_argument("--step", type=int, default=60)
        parser.add_argument("--digits", type=int, default=6)
        parser.add_argument("--counter", type=int, default=None)

    def handle(self, *args, what, username, **options):
        if what == "token-check":
            try:
                seed = bytes.fromhex(options["seed"] or "")
            except ValueError:
                raise CommandError("--seed 应为十六进制字符 / --seed must be hexadecimal") from None
            if len(seed) < MIN_SEED_BYTES or options["time"] is None:
                raise CommandError("须给出 --seed（至少16字节）和 --time / give --seed (16 bytes or more) and --time")
            t = options["time"] // options["step"]
            code = sm3_otp(seed, t, counter=options["counter"], digits=options["digits"])
            self.stdout.write(f"T={t} {code}")
            return
        if not username:
            raise CommandError("须给出用户名 / give the username")
        staff = Staff.objects.filter(username=username).first()
        if staff is None:
            raise CommandError(f"没有用户名为 {username} 的工作人员")
        if what == "reset":
            twofactor.second_factor_reset(actor=None, staff=staff)
            self.stdout.write(f"已重置 {username} 的第二重验证；下次登录时重新绑定动态口令。")
            return
        device = TOTPDevice.objects.filter(user=staff, name=twofactor.DEMO_DEVICE, confirmed=True).first()
        if device is None:
            raise CommandError("只能查看演示账号的演示令牌；真实账号的动态口令只在本人手机上。")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
