// Vietnamese messages of the `audit` namespace: the audit log page.

export default {
  audit: {
    title: 'Nhật ký thao tác',
    intro: 'Ai đã làm gì, với đối tượng nào, lúc nào: tiếp nhận và xử lý sự cố, tài khoản, ngưỡng cảnh báo, webhook, danh bạ, thư điện tử.',
    filters: 'Lọc nhật ký',
    by: 'Người thực hiện',
    action: 'Thao tác',
    allActions: 'Mọi thao tác',
    target: 'Đối tượng',
    targetHint: 'vd. incident:12, hoặc incident: cho mọi sự cố',
    from: 'Từ',
    to: 'Đến',
    apply: 'Lọc',
    reset: 'Bỏ lọc',
    range: '{first}–{last} trên {total} mục',
    none: 'Không có mục nào khớp bộ lọc.',
    previous: 'Trang trước',
    next: 'Trang sau',
    columns: { at: 'Thời điểm', by: 'Người thực hiện', action: 'Thao tác', target: 'Đối tượng', detail: 'Chi tiết' },
    system: 'Hệ thống',
    /** Each action by its family and name, as the log writes it (`incident.acknowledge`). */
    actions: {
      incident: {
        acknowledge: 'Tiếp nhận sự cố',
        comment: 'Ghi chú sự cố',
        resolve: 'Xử lý xong sự cố',
        isp: 'Phiếu báo nhà mạng',
        'chair-informed': 'Báo chủ trì cuộc họp',
      },
      maintenance: {
        create: 'Đặt thời gian bảo trì',
        end: 'Kết thúc bảo trì',
      },
      rules: {
        replace: 'Sửa ngưỡng cảnh báo',
      },
      user: {
        create: 'Tạo tài khoản',
        update: 'Sửa tài khoản',
        delete: 'Xóa tài khoản',
      },
      displayToken: {
        create: 'Tạo mã màn hình',
        revoke: 'Thu hồi mã màn hình',
      },
      webhook: {
        create: 'Thêm webhook',
        update: 'Sửa webhook',
        delete: 'Xóa webhook',
      },
      contact: {
        create: 'Thêm liên hệ',
        update: 'Sửa liên hệ',
        delete: 'Xóa liên hệ',
      },
      mail: {
        settings: 'Cài đặt thư điện tử',
      },
      loadTest: {
        start: 'Bắt đầu kiểm tra tải',
        stop: 'Dừng kiểm tra tải',
      },
      plan: {
        create: 'Tạo kế hoạch họp',
        update: 'Sửa kế hoạch họp',
        delete: 'Xóa kế hoạch họp',
        calendar: 'Sửa lịch nghỉ, quy tắc dời lịch',
        seed: 'Nạp lịch họp định kỳ',
      },
      readiness: {
        run: 'Chạy kiểm tra sẵn sàng',
        settings: 'Cài đặt kiểm tra sẵn sàng',
      },
      checklist: {
        pre: 'Phiếu kiểm tra trước cuộc họp',
        shutdown: 'Phiếu kiểm tra sau cuộc họp',
      },
    },
    /** A family of actions (`incident.`): every action of it. */
    families: {
      incident: 'Sự cố (mọi thao tác)',
      user: 'Tài khoản (mọi thao tác)',
      contact: 'Danh bạ (mọi thao tác)',
      plan: 'Kế hoạch họp (mọi thao tác)',
      checklist: 'Phiếu kiểm tra (mọi thao tác)',
    },
  },
};
