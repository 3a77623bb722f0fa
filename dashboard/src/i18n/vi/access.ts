// Vietnamese messages of the `access` namespace.

export default {
  access: {
    deniedTitle: 'Không có quyền',
    denied: 'Tài khoản {user} ({role}) không được mở trang {path}.',
    deniedSite: 'Kỹ thuật viên chỉ xem được điểm cầu của mình.',
    missingTitle: 'Không tìm thấy trang',
    missing: 'Không có trang {path}.',
    home: 'Về trang chính',
  },
};
