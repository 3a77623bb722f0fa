// Vietnamese messages of the `common` namespace.

export default {
  common: {
    save: 'Lưu',
    cancel: 'Hủy',
    delete: 'Xóa',
    edit: 'Sửa',
    close: 'Đóng',
    copy: 'Chép',
    copied: 'Đã chép',
    yes: 'Có',
    no: 'Không',
    none: '—',
    loading: 'Đang tải…',
    loadFailed: 'Không tải được dữ liệu: {reason}',
    retry: 'Thử lại',
    actionFailed: 'Không thành công: {reason}',
  },
};
