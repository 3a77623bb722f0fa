// Vietnamese messages of the `mail` namespace: e-mail on the admin page.

export default {
  mail: {
    title: 'Thư điện tử',
    off: 'Chưa cấu hình máy chủ thư (NOC_SMTP_URL, NOC_MAIL_FROM): hệ thống hiện không gửi thư nào.',
    on: 'Gửi qua {server}, người gửi {from}.',
    rules:
      'Cán bộ kỹ thuật của điểm cầu nhận thư về sự cố tại điểm cầu mình; cán bộ kỹ thuật trung tâm điều khiển (Sở GD&ĐT, TTGDTX Thành phố) nhận thư sự cố mọi điểm cầu từ mức độ chọn dưới đây, và mọi sự cố báo cấp trên. Chủ trì cuộc họp nhận thư khi cán bộ kỹ thuật báo mất kết nối.',
    controlMinSeverity: 'Trung tâm điều khiển nhận từ mức',
    save: 'Lưu',
    saved: 'Đã lưu cài đặt thư điện tử.',
    outbox: 'Hộp thư đi',
    refresh: 'Tải lại',
    empty: 'Chưa có thư nào.',
    columns: {
      recipient: 'Người nhận',
      subject: 'Tiêu đề',
      incident: 'Sự cố',
      state: 'Trạng thái',
      attempts: 'Số lần gửi',
      lastError: 'Lỗi gần nhất',
      createdAt: 'Tạo lúc',
      nextAttemptAt: 'Gửi lại lúc',
      sentAt: 'Đã gửi lúc',
    },
    state: { pending: 'Đang chờ gửi', sent: 'Đã gửi', failed: 'Gửi không được' },
  },
};
