"""`doudi otp reset USER`: clear a person's second factor from the server's shell (the last administrator lost
their phone); audited. `doudi otp code USER`: the current code of a demo county login's demo device (refused for
any other device)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from doudi.accounts import twofactor
from doudi.accounts.models import Staff


class Command(BaseCommand):
    help = "Second factor: reset a person's devices, or show a demo login's current code."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["reset", "code"])
        parser.add_argument("username")

    def handle(self, *args, what, username, **options):
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
