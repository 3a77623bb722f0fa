// Vietnamese messages of the `signin` namespace.

export default {
  signin: {
    title: 'Đăng nhập',
    intro: 'Dành cho cán bộ Sở GD&ĐT và kỹ thuật viên các Trung tâm GDTX.',
    username: 'Tên đăng nhập',
    password: 'Mật khẩu',
    submit: 'Đăng nhập',
    submitting: 'Đang đăng nhập…',
    wrong: 'Tên đăng nhập hoặc mật khẩu không đúng.',
    disabled: 'Tài khoản này đã bị khóa. Hãy liên hệ Tổ CNTT Sở.',
    limited: 'Đăng nhập sai quá nhiều lần. Hãy thử lại sau {wait}.',
    limitedNoWait: 'Đăng nhập sai quá nhiều lần. Hãy thử lại sau ít phút.',
    failed: 'Không đăng nhập được: {reason}',
    expired: 'Phiên làm việc đã hết hạn. Hãy đăng nhập lại.',
    displayFailed: 'Mã màn hình giám sát không hợp lệ hoặc đã bị thu hồi ({reason}). Hãy xin đường liên kết mới từ Tổ CNTT Sở.',
    signedOut: 'Đã đăng xuất.',
    help: 'Quên mật khẩu? Liên hệ Tổ CNTT Sở GD&ĐT để đặt lại.',
  },
};
