// Vietnamese messages of the `nav` namespace.

export default {
  nav: {
    label: 'Điều hướng',
    wall: 'Màn hình NOC',
    site: 'Điểm cầu',
    ownSite: 'Điểm cầu của tôi',
    pickSite: 'Chọn điểm cầu…',
    room: 'Phòng trực tuyến',
    control: 'Điều hành phiên họp',
    admin: 'Quản trị',
    signOut: 'Đăng xuất',
    language: 'Ngôn ngữ',
    incidents: 'Sự cố',
    maintenance: 'Bảo trì',
    rules: 'Ngưỡng cảnh báo',
    // reports
    reports: 'Báo cáo',
    loadTests: 'Kiểm tra tải',
    // ---- The directory and the audit log ----
    directory: 'Danh bạ',
    audit: 'Nhật ký thao tác',
    // ---- Meeting plans (Điều 7) ----
    plans: 'Kế hoạch họp',
  },
};
